package sandbox

import "testing"

func TestAccountDecodes(t *testing.T) {
	_, api, _ := newSandbox(t, Options{Seed: 1})
	acct, err := api.Accounts.Get()
	if err != nil {
		t.Fatalf("get account: %v", err)
	}
	if acct.ID != "acct_1PaydeskDemo000" || acct.Settings.Dashboard.DisplayName != "Paydesk Demo Co." || acct.DefaultCurrency != "usd" {
		t.Fatalf("account decoded as %+v", acct)
	}
}
