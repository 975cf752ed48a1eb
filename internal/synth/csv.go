package synth

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"
)

// The CSV headers, as DESIGN.md fixes them for examples/match. Query files
// carry two more columns, truth_id and noise, that the CLI ignores.
var (
	companyHeader      = []string{"id", "name", "industry", "location", "website"}
	memberHeader       = []string{"id", "first_name", "last_name", "company", "title", "location", "email"}
	companyQueryHeader = []string{"id", "name", "industry", "location", "website", "truth_id", "noise"}
	memberQueryHeader  = []string{"id", "first_name", "last_name", "company", "title", "email", "location", "truth_id", "noise"}
)

// writeCSV writes a header and one row per element of xs.
func writeCSV[T any](w io.Writer, header []string, xs []T, row func(*T, []string) []string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, 0, len(header))
	for i := range xs {
		if err := cw.Write(row(&xs[i], rec[:0])); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCompaniesCSV writes a company directory as CSV with the header
// id,name,industry,location,website.
func WriteCompaniesCSV(w io.Writer, cs []Company) error {
	return writeCSV(w, companyHeader, cs, func(c *Company, r []string) []string {
		return append(r, c.ID, c.Name, c.Industry, c.Location, c.Website)
	})
}

// WriteMembersCSV writes a member directory as CSV with the header
// id,first_name,last_name,company,title,location,email (email in clear).
func WriteMembersCSV(w io.Writer, ms []Member) error {
	return writeCSV(w, memberHeader, ms, func(m *Member, r []string) []string {
		return append(r, m.ID, m.FirstName, m.LastName, m.Company, m.Title, m.Location, m.Email)
	})
}

// WriteCompanyQueriesCSV writes company queries as CSV with the header
// id,name,industry,location,website,truth_id,noise (noise tags joined by ";").
func WriteCompanyQueriesCSV(w io.Writer, qs []CompanyQuery) error {
	return writeCSV(w, companyQueryHeader, qs, func(q *CompanyQuery, r []string) []string {
		return append(r, q.ID, q.Name, q.Industry, q.Location, q.Website, q.TruthID, strings.Join(q.Noise, ";"))
	})
}

// WriteMemberQueriesCSV writes member queries as CSV with the header
// id,first_name,last_name,company,title,email,location,truth_id,noise.
func WriteMemberQueriesCSV(w io.Writer, qs []MemberQuery) error {
	return writeCSV(w, memberQueryHeader, qs, func(q *MemberQuery, r []string) []string {
		return append(r, q.ID, q.FirstName, q.LastName, q.Company, q.Title, q.Email, q.Location, q.TruthID, strings.Join(q.Noise, ";"))
	})
}
