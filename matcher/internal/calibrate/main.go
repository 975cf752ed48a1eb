// Command calibrate measures the default weights of the matcher
// ([matcher.DefaultWeights]) on the synthetic world of internal/synth, from
// fixed seeds, and prints a report: the estimates of [matcher.EstimateM] and
// [matcher.EstimateU], the values set by hand with their reasons, and the
// resulting table as a Go literal.
//
//	go run ./matcher/internal/calibrate            # the report, on stdout
//	go run ./matcher/internal/calibrate -fresh -write matcher/weights.go
//
// The table is the estimates rounded to two significant figures, then the
// documented values set by hand (the Exact U of emails and websites, a floor
// for levels never observed, the email pattern and domain estimates,
// FirstInitial), then the pinned committed values that the current code no
// longer reproduces (see pinned; -fresh leaves them out). With -write it
// replaces the literal that DefaultWeights returns in the given file with
// the table. The test of this package fails when
// the committed DefaultWeights differ from what the command measures.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	fresh := flag.Bool("fresh", false, "leave out the pinned committed values that the code does not reproduce")
	write := flag.String("write", "", "replace the literal of DefaultWeights in this Go `file` with the measured table")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *fresh, *write); err != nil {
		fmt.Fprintln(os.Stderr, "calibrate:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, fresh bool, write string) error {
	r, err := measure(ctx, defaultConfig(), fresh)
	if err != nil {
		return err
	}
	if err := r.print(os.Stdout); err != nil {
		return err
	}
	if write == "" {
		return nil
	}
	return writeLiteral(write, r.Weights)
}
