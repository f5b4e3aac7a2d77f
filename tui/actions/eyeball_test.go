package actions_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

func TestEyeballForms(t *testing.T) {
	if os.Getenv("EYEBALL") == "" {
		t.Skip()
	}
	e := actenv.New(t, actenv.Options{})
	ch := refundableCharge(e, "usd")
	f := open(t, e.Session(actenv.Admin), billing.ActionRefund, ch)
	tm, _ := run(t, e, f)
	focus(t, f, "amount")
	fmt.Println(f.Screen())
	typeText(tm, "50")
	submitForm(t, tm, f)
	focus(t, f, "amount")
	fmt.Println(f.Screen())
	clearField(tm)
	typeText(tm, "5")
	submitForm(t, tm, f)
	waitState(t, f, "confirm")
	typeText(tm, "y")
	waitFor(t, tm, "webhook.")
	fmt.Println(f.Screen())
}
