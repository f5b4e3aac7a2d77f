package webhookd

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

type ackedEvent struct {
	id, object string
	created    int64
}

// TestCrashSafety: a child process serves webhookd; a burst of signed
// events is sent by 8 senders and the child is SIGKILLed at a random point,
// five times over the same file. After each kill the file is reopened: every
// event that got a 2xx is in the cache, its object at least that new, and
// bbolt's consistency check passes.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	base := testNow().Unix() - 200
	var total int
	for round := range 5 {
		acked := crashRound(t, path, round, base, time.Duration(10+rng.IntN(190))*time.Millisecond)
		total += len(acked)

		st, err := storage.Open(path, storage.Options{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		if err := st.Check(); err != nil {
			st.Close()
			t.Fatalf("round %d: bbolt check: %v", round, err)
		}
		for _, a := range acked {
			if _, err := st.Event(a.id); err != nil {
				t.Errorf("round %d: acknowledged %s lost: %v", round, a.id, err)
				continue
			}
			env, err := st.Get(storage.KindCustomer, a.object)
			if err != nil || env.EventCreated < a.created {
				t.Errorf("round %d: %s after acknowledged %s: %v (at %d < %d)", round, a.object, a.id, err, env.EventCreated, a.created)
			}
		}
		st.Close()
		t.Logf("round %d: %d events acknowledged before the kill, all present", round, len(acked))
	}
	if total == 0 {
		t.Fatal("no event was acknowledged in any round: the test proved nothing")
	}
}

func crashRound(t *testing.T, path string, round int, base int64, killAfter time.Duration) []ackedEvent {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"=1", crashDBEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "LISTEN ") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("round %d: child did not start: %q %v", round, line, err)
	}
	url := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "LISTEN ")) + DefaultPath

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	var (
		mu     sync.Mutex
		acked  []ackedEvent
		next   atomic.Int64
		killed atomic.Bool
		wg     sync.WaitGroup
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !killed.Load() {
				i := next.Add(1)
				created := base + int64(round)*20 + i/100
				ev := ackedEvent{id: fmt.Sprintf("evt_crash_%d_%05d", round, i), object: fmt.Sprintf("cus_crash_%02d", i%40), created: created}
				body := eventJSON(ev.id, ev.object, created, storage.APIVersion, fmt.Sprintf("R%dN%d", round, i))
				req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
				req.Header.Set(SignatureHeader, signedHeader(body, testSecret, testNow()))
				resp, err := client.Do(req)
				if err != nil {
					continue // the child is gone or going; nothing acknowledged
				}
				resp.Body.Close()
				if resp.StatusCode/100 == 2 {
					mu.Lock()
					acked = append(acked, ev)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(killAfter)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill: %v", err)
	}
	cmd.Wait()
	killed.Store(true)
	wg.Wait()
	return acked
}
