package storage

// SetWalkLimit lets tests make Open treat every file as large (header scan
// instead of the key walk); the returned func restores the limit.
func SetWalkLimit(n int64) func() {
	old := walkLimit
	walkLimit = n
	return func() { walkLimit = old }
}
