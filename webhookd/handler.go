package webhookd

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// handleWebhook is the request path: method, size-capped raw body, strict
// header parse, HMAC against every secret, two-sided tolerance, JSON shape,
// then one durable transaction, then 200.
func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	d := storage.Delivery{At: s.cfg.Now().UnixNano(), Source: SourceWebhook, RemoteAddr: r.RemoteAddr}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.refuse(w, &d, start, reject(CodeMethodNotAllowed, "method %s, only POST", clip(r.Method, 16)))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	d.Bytes = len(body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.refuse(w, &d, start, reject(CodeBodyTooLarge, "body exceeds %d bytes", s.cfg.MaxBody))
		} else {
			s.refuse(w, &d, start, reject(CodeBodyRead, "reading body: %v", err))
		}
		return
	}
	body, rej := s.check(r, body, &d)
	if rej != nil {
		s.refuse(w, &d, start, rej)
		return
	}
	d.Status = http.StatusOK
	d.LatencyUS = time.Since(start).Microseconds() // receive to hand-off; the histogram adds the commit
	res, err := s.store.ApplyEvent(body, &d)
	if err != nil {
		// The transaction did not commit: 500 so that Stripe retries.
		d.EventID, d.Type = res.EventID, res.Type
		s.refuse(w, &d, start, reject(CodeStorage, "%v", err))
		return
	}
	latency := time.Since(start)
	s.metrics.observeAccepted(SourceWebhook, string(res.Verdict), s.cfg.Now(), latency)
	s.logDelivery(slog.LevelDebug, "webhook accepted", d, latency)
	writeJSON(w, http.StatusOK, map[string]any{"received": true, "verdict": res.Verdict})
}

// check verifies the request; it returns the body to apply or why not.
func (s *Server) check(r *http.Request, body []byte, d *storage.Delivery) ([]byte, *Rejection) {
	values := r.Header.Values(SignatureHeader)
	if len(values) > 1 {
		return nil, reject(CodeMalformedHeader, "%d %s headers, want one", len(values), SignatureHeader)
	}
	sig, err := ParseSignatureHeader(r.Header.Get(SignatureHeader))
	if err != nil {
		return nil, asRejection(err)
	}
	idx, err := verify(sig, body, s.cfg.Secrets, s.cfg.Now(), s.cfg.Tolerance)
	if idx > 0 {
		// Signed by a configured secret: its ids are trustworthy enough to
		// show next to a timestamp rejection.
		d.Secret = idx
		if head, _, perr := storage.ParseEvent(body); perr == nil {
			d.EventID, d.Type, d.APIVersion = head.EventID, head.Type, head.APIVersion
		}
	}
	if err != nil {
		return nil, asRejection(err)
	}
	if len(body) == 0 {
		return nil, reject(CodeMalformedJSON, "empty body")
	}
	if !json.Valid(body) {
		return nil, reject(CodeMalformedJSON, "body is not valid JSON")
	}
	if _, _, err := storage.ParseEvent(body); err != nil {
		return nil, reject(CodeNotAnEvent, "%v", err)
	}
	return body, nil
}

// refuse logs the request as rejected (nothing applied; the store announces
// the receipt), counts it, and answers rej's status.
func (s *Server) refuse(w http.ResponseWriter, d *storage.Delivery, start time.Time, rej *Rejection) {
	d.Verdict, d.Reason, d.Status = storage.VerdictRejected, rej.Error(), rej.Status()
	d.LatencyUS = time.Since(start).Microseconds()
	if seq, err := s.store.AppendDelivery(*d); err != nil {
		s.cfg.Logger.Error("webhook delivery log write failed", "err", err, "code", rej.Code)
	} else {
		d.Seq = seq
	}
	s.metrics.observeRejected(rej.Code)
	level := slog.LevelWarn
	if rej.Code == CodeStorage {
		level = slog.LevelError
	}
	s.logDelivery(level, "webhook rejected", *d, time.Since(start))
	writeJSON(w, rej.Status(), map[string]any{"error": rej.Error()})
}

// logDelivery writes one line per request from the receipt: never the
// signature header, never a secret.
func (s *Server) logDelivery(level slog.Level, msg string, d storage.Delivery, latency time.Duration) {
	s.cfg.Logger.Log(context.Background(), level, msg,
		"source", d.Source, "status", d.Status, "verdict", d.Verdict, "reason", d.Reason,
		"event_id", d.EventID, "type", d.Type, "object_id", d.ObjectID, "seq", d.Seq,
		"latency", latency, "remote", d.RemoteAddr, "bytes", d.Bytes, "secret_idx", d.Secret)
}

func asRejection(err error) *Rejection {
	var r *Rejection
	if errors.As(err, &r) {
		return r
	}
	return reject(CodeMalformedHeader, "%v", err)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
