package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"time"
)

// call is one API request being served.
type call struct {
	s       *Server
	r       *http.Request
	p       params
	reqID   string
	idemKey string
}

func (c *call) id() string { return c.r.PathValue("id") }

// evReq is the event "request" block for changes made by this call.
func (c *call) evReq() *eventRequest {
	if c == nil {
		return nil
	}
	return &eventRequest{ID: c.reqID, IdempotencyKey: c.idemKey}
}

type handlerFunc func(c *call) (any, *apiError)

const (
	maxFormBytes   = 1 << 20
	maxUploadBytes = 16 << 20
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, fn handlerFunc) { mux.Handle(pattern, s.wrap(fn)) }

	h("GET /v1/account", s.getAccount)
	h("GET /v1/customers", s.listCustomers)
	h("POST /v1/customers", s.createCustomer)
	h("GET /v1/customers/{id}", s.getCustomer)
	h("POST /v1/customers/{id}", s.updateCustomer)
	h("DELETE /v1/customers/{id}", s.deleteCustomer)
	h("GET /v1/customers/{id}/balance_transactions", s.listBalanceTxns)
	h("POST /v1/customers/{id}/balance_transactions", s.createBalanceTxn)
	h("GET /v1/customers/{id}/balance_transactions/{txn}", s.getBalanceTxn)
	h("GET /v1/customers/{id}/payment_methods", s.listPaymentMethods)

	h("GET /v1/products", s.listProducts)
	h("GET /v1/products/{id}", s.getProduct)
	h("GET /v1/prices", s.listPrices)
	h("GET /v1/prices/{id}", s.getPrice)

	h("GET /v1/subscriptions", s.listSubscriptions)
	h("POST /v1/subscriptions", s.createSubscription)
	h("GET /v1/subscriptions/{id}", s.getSubscription)
	h("POST /v1/subscriptions/{id}", s.updateSubscription)
	h("DELETE /v1/subscriptions/{id}", s.cancelSubscription)
	h("POST /v1/subscriptions/{id}/resume", s.resumeSubscription)

	h("GET /v1/invoices", s.listInvoices)
	h("GET /v1/invoices/upcoming", s.upcomingInvoice)
	h("GET /v1/invoices/{id}", s.getInvoice)
	h("GET /v1/invoices/{id}/lines", s.listInvoiceLines)
	h("POST /v1/invoices/{id}/pay", s.payInvoice)
	h("POST /v1/invoices/{id}/void", s.voidInvoice)
	h("POST /v1/invoices/{id}/mark_uncollectible", s.markUncollectible)
	h("POST /v1/invoices/{id}/send", s.sendInvoice)
	h("POST /v1/invoices/{id}/finalize", s.finalizeDraft)
	h("DELETE /v1/invoices/{id}", s.deleteDraft)
	h("POST /v1/invoices", s.createInvoice)
	h("GET /v1/invoiceitems", s.listInvoiceItems)
	h("POST /v1/invoiceitems", s.createInvoiceItem)
	h("GET /v1/invoiceitems/{id}", s.getInvoiceItem)
	h("GET /v1/credit_notes", s.listCreditNotes)
	h("GET /v1/credit_notes/preview", s.previewCreditNote)
	h("POST /v1/credit_notes", s.createCreditNote)
	h("GET /v1/credit_notes/{id}", s.getCreditNote)
	h("POST /v1/credit_notes/{id}/void", s.voidCreditNote)

	h("GET /v1/charges", s.listCharges)
	h("GET /v1/charges/{id}", s.getCharge)
	h("GET /v1/payment_intents", s.listPaymentIntents)
	h("GET /v1/payment_intents/{id}", s.getPaymentIntent)

	h("GET /v1/refunds", s.listRefunds)
	h("POST /v1/refunds", s.createRefund)
	h("GET /v1/refunds/{id}", s.getRefund)
	h("POST /v1/refunds/{id}", s.updateRefund)

	h("GET /v1/disputes", s.listDisputes)
	h("GET /v1/disputes/{id}", s.getDispute)
	h("POST /v1/disputes/{id}", s.updateDispute)
	h("POST /v1/disputes/{id}/close", s.closeDispute)

	h("POST /v1/files", s.createFile)
	h("GET /v1/files", s.listFiles)
	h("GET /v1/files/{id}", s.getFile)

	h("POST /v1/billing_portal/sessions", s.createPortalSession)
	h("GET /v1/coupons", s.listCoupons)
	h("POST /v1/coupons", s.createCoupon)
	h("GET /v1/coupons/{id}", s.getCoupon)
	h("GET /v1/promotion_codes", s.listPromos)
	h("POST /v1/promotion_codes", s.createPromo)
	h("GET /v1/promotion_codes/{id}", s.getPromo)
	h("POST /v1/promotion_codes/{id}", s.updatePromo)
	h("DELETE /v1/customers/{id}/discount", s.deleteCustomerDiscount)
	h("DELETE /v1/subscriptions/{id}/discount", s.deleteSubscriptionDiscount)

	h("GET /v1/events", s.listEvents)
	h("GET /v1/events/{id}", s.getEvent)

	h("GET /v1/webhook_endpoints", s.listEndpoints)
	h("POST /v1/webhook_endpoints", s.createEndpoint)
	h("GET /v1/webhook_endpoints/{id}", s.getEndpoint)
	h("DELETE /v1/webhook_endpoints/{id}", s.deleteEndpoint)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		reqID := s.ids.id(kRequest, s.reqSeq.Add(1))
		w.Header().Set("Request-Id", reqID)
		w.Header().Set("Stripe-Version", stripeAPIVersion)
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		defer func() {
			s.log.Debug("sandbox request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"request_id", reqID, "ms", time.Since(start).Milliseconds())
		}()
		// The rate is counted when a request arrives; every answer,
		// a 429 included, leaves after the configured latency.
		limited := s.limiter != nil && !s.limiter.allow(requestKey(r))
		latency{s.opts.Latency, s.opts.LatencyJitter, s.opts.LatencySleep}.wait(r.Context())
		if e := checkAuth(r); e != nil {
			writeError(rec, e)
			return
		}
		if limited {
			writeError(rec, rateLimited())
			return
		}
		if _, pattern := mux.Handler(r); pattern == "" {
			writeError(rec, unrecognizedURL(r.Method, r.URL.Path))
			return
		}
		r.Header.Set("X-Sandbox-Request-Id", reqID)
		mux.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func checkAuth(r *http.Request) *apiError {
	key := ""
	if h := r.Header.Get("Authorization"); h != "" {
		if after, ok := strings.CutPrefix(h, "Bearer "); ok {
			key = strings.TrimSpace(after)
		} else if u, _, ok := r.BasicAuth(); ok {
			key = u
		} else {
			return unauthorized("Invalid authorization header. Use Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').")
		}
	}
	if key == "" {
		return unauthorized("You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.")
	}
	for _, p := range []string{"sk_test_", "rk_test_"} {
		if strings.HasPrefix(key, p) && len(key) > len(p) {
			return nil
		}
	}
	// Never echo the key: only its kind.
	shown := "****"
	if i := strings.IndexByte(key, '_'); i > 0 && i < 4 {
		shown = key[:i+1] + "****"
	}
	return unauthorized("Invalid API Key provided: " + shown)
}

// readParams decodes query and body parameters; a malformed body is a 400.
func readParams(r *http.Request) (params, *apiError) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return params{}, invalidRequest("", "Invalid query string: %v", err)
	}
	if r.Method != http.MethodPost && r.Method != http.MethodDelete {
		return params{v: q}, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		r.Body = http.MaxBytesReader(nil, r.Body, maxUploadBytes)
		if err := r.ParseMultipartForm(maxUploadBytes); err != nil {
			return params{}, invalidRequest("", "Invalid multipart body: %v", err)
		}
		for k, v := range r.MultipartForm.Value {
			q[k] = append(q[k], v...)
		}
		return params{v: q}, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBytes+1))
	if err != nil {
		return params{}, invalidRequest("", "Could not read the request body: %v", err)
	}
	if len(body) > maxFormBytes {
		return params{}, invalidRequest("", "Request body too large")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return params{}, invalidRequest("", "Invalid request body (expected application/x-www-form-urlencoded): %v", err)
	}
	for k, v := range form {
		q[k] = append(q[k], v...)
	}
	return params{v: q}, nil
}

func (s *Server) wrap(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, e := readParams(r)
		if e != nil {
			writeError(w, e)
			return
		}
		c := &call{s: s, r: r, p: p, reqID: r.Header.Get("X-Sandbox-Request-Id")}
		if r.Method == http.MethodPost {
			c.idemKey = strings.TrimSpace(r.Header.Get("Idempotency-Key"))
		}
		fingerprint := r.Method + " " + r.URL.Path + "?" + p.v.Encode()

		s.mu.Lock()
		if c.idemKey != "" {
			if saved, ok := s.idem.get(c.idemKey); ok {
				s.mu.Unlock()
				if saved.fingerprint != fingerprint {
					writeError(w, &apiError{status: http.StatusBadRequest, Type: "idempotency_error",
						Message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '" + c.idemKey + "' if you meant to execute a different request."})
					return
				}
				w.Header().Set("Idempotent-Replayed", "true")
				w.Header().Set("Original-Request", saved.reqID)
				writeRaw(w, saved.status, saved.body)
				return
			}
		}
		status, body := s.serve(c, fn)
		if c.idemKey != "" && status < 500 {
			s.idem.put(c.idemKey, savedResponse{fingerprint: fingerprint, status: status, body: body, reqID: c.reqID})
		}
		s.mu.Unlock()
		if c.idemKey != "" {
			w.Header().Set("Idempotency-Key", c.idemKey)
		}
		writeRaw(w, status, body)
	})
}

// serve runs fn with s.mu held and renders its answer.
func (s *Server) serve(c *call, fn handlerFunc) (int, []byte) {
	out, e := fn(c)
	if e == nil {
		if m, ok := out.(map[string]any); ok {
			e = s.applyExpand(m, c.p.list("expand"))
		}
	}
	if e != nil {
		return e.status, errorBody(e)
	}
	var body []byte
	switch v := out.(type) {
	case []byte:
		body = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			e := internalError(errors.New("rendering response"))
			return e.status, errorBody(e)
		}
		body = b
	}
	return http.StatusOK, body
}

func errorBody(e *apiError) []byte {
	b, _ := json.Marshal(map[string]any{"error": e})
	return b
}

func writeError(w http.ResponseWriter, e *apiError) { writeRaw(w, e.status, errorBody(e)) }

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
