// Command match matches a CSV of CRM records against a CSV directory of
// companies or members and prints one JSON line per record with the
// decision and the ranked candidates.
//
//	go run ./examples/match -kind company|member -directory DIR.csv -queries Q.csv [-k 10] [-stats] [-fit=false] [-vocab=false]
//
// See examples/match/internal/matchcli for the file formats, the output and the exit statuses.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/crmlink/crmlink/examples/match/internal/matchcli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := matchcli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
