package safetext

import "reflect"

// Walk rewrites, in place, every string reachable from ptr (struct fields,
// map keys and values, slices, arrays, pointers, interfaces) with Line
// (escapes and secrets redacted), so a
// struct decoded from Stripe JSON is safe to draw field by field. []byte and
// json.RawMessage are left alone (use JSON to show them). ptr must be a
// pointer; anything else is ignored.
func Walk(ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	walk(v.Elem(), 0)
}

const maxDepth = 64

func walk(v reflect.Value, depth int) {
	if depth > maxDepth {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); !clean(s) || mayHoldSecret(s) {
				v.SetString(Line(s))
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			walk(v.Elem(), depth+1)
		}
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if e.Kind() == reflect.String && v.CanSet() {
			if s := e.String(); !clean(s) || mayHoldSecret(s) {
				v.Set(reflect.ValueOf(Line(s)).Convert(e.Type()))
			}
			return
		}
		if e.Kind() == reflect.Map || e.Kind() == reflect.Slice || e.Kind() == reflect.Pointer {
			walk(e, depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walk(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), depth+1)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		iter := v.MapRange()
		type kv struct{ k, v reflect.Value }
		var redo []kv
		for iter.Next() {
			k, val := iter.Key(), iter.Value()
			nk, nv := copyOf(k), copyOf(val)
			walk(nk, depth+1)
			walk(nv, depth+1)
			redo = append(redo, kv{k, nk}, kv{nk, nv})
		}
		for i := 0; i < len(redo); i += 2 {
			old, nk, nv := redo[i].k, redo[i].v, redo[i+1].v
			v.SetMapIndex(old, reflect.Value{})
			v.SetMapIndex(nk, nv)
		}
	}
}

// copyOf is a settable copy of v (map entries cannot be set in place).
func copyOf(v reflect.Value) reflect.Value {
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}
