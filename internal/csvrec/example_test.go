package csvrec_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/crmlink/crmlink/internal/csvrec"
)

func ExampleReader() {
	in := "website,ID,name,notes\nacme.com,c1,Acme Corp,x\n,c2,\"Müller & Söhne, GmbH\",\n,,Nameless\n"
	r, err := csvrec.NewReader(strings.NewReader(in), "companies.csv", []string{"id", "name", "website"}, "id")
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%q\n", rec)
	}
	// Output:
	// ["c1" "Acme Corp" "acme.com"]
	// ["c2" "Müller & Söhne, GmbH" ""]
	// companies.csv:4:2: column "id": empty required field
}
