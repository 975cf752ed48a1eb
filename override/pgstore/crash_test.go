package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/pgstore"
	"github.com/crmlink/crmlink/override/storetest"
)

func TestMain(m *testing.M) {
	// In a crash child (re-executed by TestCrash) this writes until killed
	// and never returns. The target is the schema; the DSN comes from the
	// environment the child inherits, so it never appears on a command line.
	storetest.CrashChild(func(ctx context.Context, schema string) (*override.Store, error) {
		cfg, err := pgxpool.ParseConfig(os.Getenv(testenv.PostgresEnv))
		if err != nil {
			return nil, err
		}
		cfg.ConnConfig.RuntimeParams["application_name"] = crashApp(schema)
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return pgstore.OpenPool(ctx, pool, pgstore.WithSchema(schema))
	})
	os.Exit(m.Run())
}

// crashApp is the application_name of a crash child's connections.
func crashApp(schema string) string { return "pgstore-crash-" + schema }

// TestCrash kills a child process writing to PostgreSQL with SIGKILL at random
// moments, many times: every acknowledged Put and PutBatch must be present
// afterwards, and no batch partially present.
//
// A SIGKILL ends the client, not the server process serving it: a COMMIT the
// child sent just before it died may still complete. The parent therefore
// waits until the child's server backends have exited (its transaction is then
// committed or rolled back, never half of either) before it reopens and
// checks the store; a Mappings walk is not a snapshot and would otherwise see
// a commit that lands mid-walk as a partial batch.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dsn, schema := freshSchema(t)
	storetest.RunCrash(t, storetest.CrashConfig{
		Target: schema,
		Open: func(ctx context.Context) (*override.Store, error) {
			if err := waitBackendsGone(ctx, dsn, crashApp(schema)); err != nil {
				return nil, err
			}
			return pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
		},
		Rounds: 30,
	})
}

// waitBackendsGone waits until no server backend serves application app.
func waitBackendsGone(ctx context.Context, dsn, app string) error {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return err
	}
	defer pool.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&n); err != nil {
			return fmt.Errorf("wait for the crash child's backends: %w", err)
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("crash child's backends still running: %w", ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}
