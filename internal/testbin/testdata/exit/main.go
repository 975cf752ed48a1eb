// Command exit writes its first argument to stdout, its second to stderr, and exits with the
// status given by its third.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	fmt.Fprint(os.Stdout, os.Args[1])
	fmt.Fprint(os.Stderr, os.Args[2])
	code, err := strconv.Atoi(os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(100)
	}
	os.Exit(code)
}
