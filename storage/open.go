package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Options tune how the cache file is opened.
type Options struct {
	// Timeout bounds the wait for the file lock held by another process.
	// Default 1s: a second paydesk gets a clear error instead of hanging.
	Timeout time.Duration
	// Holder names this process in the lock-holder note ("paydesk serve").
	Holder string
	// ReadOnly opens without writing (still needs the lock to be free).
	ReadOnly bool
	// MaxEvents and MaxDeliveries cap the event store and the delivery log;
	// the oldest entries go first. Zero means the defaults below.
	MaxEvents     int
	MaxDeliveries int
	// Batch groups concurrent writers (webhook ingestion) into shared
	// transactions; every write function is written to be safe to rerun.
	Batch bool
	// BatchDelay and BatchSize tune Batch: a batch commits when BatchSize
	// writers joined it or BatchDelay after its first writer, whichever
	// comes first. Zero keeps bbolt's defaults (10 ms, 1000 writers); the
	// 10 ms default adds up to 10 ms to every webhook acknowledgement, so
	// webhookd runs with a shorter delay.
	BatchDelay time.Duration
	BatchSize  int
	// Now is the clock for cached_at stamps (the account's time: a demo
	// or test clock may run it ahead); default time.Now.
	Now func() time.Time
	// Wall is the clock of money actions' stamps: intents' created and
	// updated times and audit records without one (real time, as
	// billing.Clocks.Wall); default Now.
	Wall func() time.Time
	// PageBudget is the resident set (bytes) over which a backfill page
	// commit ends its transaction early and lets go of the mapped pages
	// after it (0: ResidentBudget).
	PageBudget int64
}

// Retention defaults: enough for a month of a busy account's events.
const (
	DefaultMaxEvents     = 500_000
	DefaultMaxDeliveries = 100_000
	defaultLockTimeout   = time.Second
)

// ErrLocked is returned (wrapped) when another process owns the cache file.
var ErrLocked = errors.New("cache in use")

// Store is an open cache file.
type Store struct {
	db     *bolt.DB
	path   string
	opts   Options
	health writeHealth
	feed   *Feed
	pages  pageGroup // backfill pages waiting for a shared commit
	// releasedAt is the file-backed resident bytes after the last
	// ReleaseMappedOver release (0: none yet).
	releasedAt atomic.Int64
	// committing is set while a backfill page transaction is open: the
	// watch lets go of nothing then and walks wait for it to end (the
	// commit would fault all it let go of in again); the committer lets go
	// after its commit when over budget.
	committing atomic.Bool
}

// Open opens or creates the cache at path, applies pending migrations and
// records this process as the lock holder.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = defaultLockTimeout
	}
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = DefaultMaxEvents
	}
	if opts.MaxDeliveries <= 0 {
		opts.MaxDeliveries = DefaultMaxDeliveries
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Wall == nil {
		opts.Wall = opts.Now
	}
	if opts.Holder == "" {
		opts.Holder = "paydesk"
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open cache: create %s: %w", dir, err)
		}
	}
	if err := precheck(path, opts.ReadOnly); err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	var db *bolt.DB
	err := guard(path, func() (err error) {
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly})
		return err
	})
	if err != nil {
		switch {
		case errors.Is(err, bolt.ErrTimeout):
			return nil, fmt.Errorf("open cache %s: %w by %s; stop that process or use another cache file (--db or PAYDESK_DB)", path, ErrLocked, describeHolder(path))
		case IsDamaged(err):
			return nil, fmt.Errorf("open cache: %w", err)
		case errors.Is(err, bolt.ErrInvalid), errors.Is(err, bolt.ErrChecksum), errors.Is(err, bolt.ErrVersionMismatch):
			return nil, fmt.Errorf("open cache: %w", &DamagedError{Path: path, Detail: err.Error()})
		}
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	// A file up to walkLimit has every reachable page read once here, in
	// this goroutine: a damaged file is refused with what to do before any
	// command or the receiver relies on it (precheck scanned the page
	// headers of larger ones).
	if fi, err := os.Stat(path); err == nil && fi.Size() <= walkLimit {
		if err := verify(path, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("open cache: %w", err)
		}
	}
	if opts.BatchDelay > 0 {
		db.MaxBatchDelay = opts.BatchDelay
	}
	if opts.BatchSize > 0 {
		db.MaxBatchSize = opts.BatchSize
	}
	s := &Store{db: db, path: path, opts: opts, feed: newFeed()}
	if !opts.ReadOnly {
		if err := s.migrate(); err != nil {
			db.Close()
			return nil, err
		}
		// Best effort: the note only improves the error another process sees.
		_ = os.WriteFile(holderPath(path), []byte(fmt.Sprintf("%d %s", os.Getpid(), opts.Holder)), 0o600)
	}
	return s, nil
}

// Close releases the file and its lock.
func (s *Store) Close() error {
	if !s.opts.ReadOnly {
		_ = os.Remove(holderPath(s.path))
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close cache: %w", err)
	}
	return nil
}

// Path is the cache file's location.
func (s *Store) Path() string { return s.path }

// Check runs bbolt's consistency check over the whole file.
func (s *Store) Check() error {
	if err := verify(s.path, s.db); err != nil {
		return err
	}
	return s.view(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}

func (s *Store) now() int64 { return s.opts.Now().Unix() }

// wallNow stamps money actions' intents and audit records (Options.Wall).
func (s *Store) wallNow() int64 { return s.opts.Wall().Unix() }

func holderPath(path string) string { return path + ".holder" }

// describeHolder reads the lock-holder note: "PID 4121 (paydesk serve)".
func describeHolder(path string) string {
	b, err := os.ReadFile(holderPath(path))
	if err != nil {
		return "another process"
	}
	pid, name, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	if _, err := strconv.Atoi(pid); err != nil {
		return "another process"
	}
	if name == "" {
		return "PID " + pid
	}
	return fmt.Sprintf("PID %s (%s)", pid, name)
}
