package matchcli_test

import (
	"context"
	"fmt"
	"os"

	"github.com/crmlink/crmlink/examples/match/internal/matchcli"
)

func ExampleFormatScore() {
	for _, s := range []float64{0.97, 1, 0.123456, 0.00001} {
		fmt.Println(matchcli.FormatScore(s))
	}
	// Output:
	// 0.97
	// 1
	// 0.1235
	// 0
}

func ExampleMain_badInput() {
	code := matchcli.Main(context.Background(),
		[]string{"-kind", "company", "-directory", "testdata/members.csv", "-queries", "testdata/nope.csv"},
		os.Stdout, os.Stdout)
	fmt.Println("exit status", code)
	// Output:
	// match: open testdata/nope.csv: no such file or directory
	// exit status 2
}
