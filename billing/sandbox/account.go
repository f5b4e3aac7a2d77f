package sandbox

// getAccount answers GET /v1/account: the demo account, in test mode, so
// the console's header can name it like a real one.
func (s *Server) getAccount(c *call) (any, *apiError) {
	return map[string]any{
		"id": "acct_1PaydeskDemo000", "object": "account", "type": "standard",
		"business_profile": map[string]any{"name": "Paydesk Demo Co.", "url": nil},
		"settings":         map[string]any{"dashboard": map[string]any{"display_name": "Paydesk Demo Co.", "timezone": "Etc/UTC"}},
		"charges_enabled":  true, "payouts_enabled": true, "details_submitted": true,
		"country": "US", "default_currency": "usd", "email": nil, "created": int64(1577836800),
		"capabilities": map[string]any{"card_payments": "active"}, "metadata": map[string]any{},
	}, nil
}
