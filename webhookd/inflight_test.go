package webhookd

import (
	"bytes"
	"runtime"
)

// handlerRunning reports whether some goroutine is inside handleWebhook:
// only then does net/http's Shutdown promise to let the request finish (a
// connection still reading its header when Shutdown starts is dropped).
func handlerRunning() bool {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	return bytes.Contains(buf[:n], []byte("webhookd.(*Server).handleWebhook"))
}
