package actions

import (
	"reflect"

	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// formTheme is huh's Charm theme with every style bound to the session's
// renderer, so an SSH session gets its own colour profile (huh's themes
// are built on the process's default renderer).
func formTheme(r *lipgloss.Renderer) *huh.Theme {
	t := huh.ThemeCharm()
	// A refused value is worded under its field ("✗ …", see checked), as
	// every form error is: no "*" beside the title.
	t.Focused.ErrorIndicator = t.Focused.ErrorIndicator.SetString("")
	rebind(reflect.ValueOf(t).Elem(), r)
	return t
}

var styleType = reflect.TypeOf(lipgloss.Style{})

// rebind walks a struct of styles (nested structs included) and sets the
// renderer of each.
func rebind(v reflect.Value, r *lipgloss.Renderer) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == styleType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(v.Interface().(lipgloss.Style).Renderer(r)))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				rebind(f, r)
			}
		}
	}
}
