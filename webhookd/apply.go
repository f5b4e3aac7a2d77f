package webhookd

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// ApplyEvent applies an event fetched from the Events API (source
// "catch-up") or replayed by an operator ("replay") through the same
// storage path as a webhook and logs its receipt; the store announces it.
// It has the shape of billing.Applier, so billing never needs webhookd.
func (s *Server) ApplyEvent(raw []byte, source string) (storage.ApplyResult, error) {
	if source == "" {
		source = SourceCatchUp
	}
	start := time.Now()
	d := storage.Delivery{At: s.cfg.Now().UnixNano(), Source: source, Bytes: len(raw)}
	res, err := s.store.ApplyEvent(raw, &d)
	if err != nil {
		code := CodeStorage
		if errors.Is(err, storage.ErrMalformedEvent) {
			code = CodeNotAnEvent // storage already logged the rejected receipt in d
		}
		s.metrics.observeRejected(code)
		d.Verdict = storage.VerdictRejected
		if d.Reason == "" {
			d.Reason = code + ": " + err.Error()
		}
		s.logDelivery(slog.LevelWarn, "event not applied", d, time.Since(start))
		return res, fmt.Errorf("webhookd apply %s event: %w", source, err)
	}
	latency := time.Since(start)
	s.metrics.observeAccepted(source, string(res.Verdict), s.cfg.Now(), latency)
	s.logDelivery(slog.LevelDebug, "event applied", d, latency)
	return res, nil
}
