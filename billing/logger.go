package billing

import (
	"fmt"
	"log/slog"
)

// slogLeveled adapts slog to stripe-go's LeveledLoggerInterface at warn
// level: stripe-go's debug output prints whole response bodies (PII) and its
// info output every request line, so both are dropped. What is kept passes
// through redact, so no credential reaches the log.
type slogLeveled struct{ log *slog.Logger }

func (l *slogLeveled) Debugf(string, ...any) {}
func (l *slogLeveled) Infof(string, ...any)  {}

func (l *slogLeveled) Warnf(format string, v ...any) {
	l.log.Warn(redact(fmt.Sprintf(format, v...)), "component", "stripe-go")
}

func (l *slogLeveled) Errorf(format string, v ...any) {
	l.log.Error(redact(fmt.Sprintf(format, v...)), "component", "stripe-go")
}
