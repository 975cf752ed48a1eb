package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/crmlink/crmlink/crm/csvsource"
)

// exportFiles are the file names of a CSV export, with the column that identifies a row.
var exportFiles = map[string]string{
	csvsource.AccountsFile:      "id",
	csvsource.ContactsFile:      "id",
	csvsource.LeadsFile:         "id",
	csvsource.OpportunitiesFile: "id",
	csvsource.StagesFile:        "name",
	csvsource.UsersFile:         "id",
	csvsource.RolesFile:         "id",
	csvsource.ActivitiesFile:    "external_key",
}

// csvFolder is a checked CSV export. Its files are matched without regard to case
// (Accounts.csv is accounts.csv); when a name is not in lower case, read is a temporary folder
// of links under the lower-case names, removed by close.
type csvFolder struct {
	dir  string
	read string
	tmp  string
	rows map[string]int // data rows of each export file: the progress totals
	// activities is the name on disk of the activities file, "" when there is none.
	activities string
}

func (f *csvFolder) close() {
	if f.tmp != "" {
		os.RemoveAll(f.tmp)
	}
}

// openCSVFolder checks the folder of a CSV export before anything is read from it: it must hold
// at least one export file, no CSV file with another name, no name twice in different case, and
// no ID twice in a file. Every failure is bad input naming the file (and lines).
func openCSVFolder(dir string) (*csvFolder, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("-crm csv:%s: no such folder", dir)
		}
		return nil, usagef("-crm csv:%s: %v", dir, unwrapPath(err))
	}
	found := map[string]string{} // lower-case name -> name on disk
	var unknown []string
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			continue
		}
		lower := strings.ToLower(e.Name())
		if _, ok := exportFiles[lower]; !ok {
			unknown = append(unknown, e.Name())
			continue
		}
		if prev, ok := found[lower]; ok {
			return nil, usagef("%s: both %s and %s are there; keep one", dir, prev, e.Name())
		}
		found[lower] = e.Name()
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range exportFiles {
			if !yield(n) {
				return
			}
		}
	})
	want := strings.Join(names, ", ")
	if len(unknown) > 0 {
		return nil, usagef("%s: not a CRM export file name; want one of %s (in any case)", filepath.Join(dir, unknown[0]), want)
	}
	if len(found) == 0 || (len(found) == 1 && found[csvsource.ActivitiesFile] != "") {
		return nil, usagef("-crm csv:%s: the folder holds no CRM export file; want %s (in any case)", dir, want)
	}
	f := &csvFolder{dir: dir, read: dir, rows: map[string]int{}, activities: found[csvsource.ActivitiesFile]}
	for lower, name := range found {
		n, err := checkIDs(filepath.Join(dir, name), exportFiles[lower])
		if err != nil {
			return nil, err
		}
		f.rows[lower] = n
	}
	staged := false
	for lower, name := range found {
		if lower != name {
			staged = true
		}
	}
	if !staged {
		return f, nil
	}
	tmp, err := os.MkdirTemp("", "crmlink-csv-")
	if err != nil {
		return nil, fmt.Errorf("stage %s: %w", dir, err)
	}
	f.tmp, f.read = tmp, tmp
	for lower, name := range found {
		abs, err := filepath.Abs(filepath.Join(dir, name))
		if err == nil {
			err = os.Symlink(abs, filepath.Join(tmp, lower))
		}
		if err != nil {
			f.close()
			return nil, fmt.Errorf("stage %s: %w", filepath.Join(dir, name), unwrapPath(err))
		}
	}
	return f, nil
}

// checkIDs reads one export file and reports an ID that is on two rows, with both lines. It
// returns how many data rows the file holds. A file without the ID column is left to the reader,
// which names the missing column.
func checkIDs(path, idColumn string) (int, error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return 0, nil
	}
	if err != nil {
		return 0, badInput(csvError(path, err))
	}
	col := -1
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		if strings.EqualFold(strings.TrimSpace(h), idColumn) {
			col = i
			break
		}
	}
	seen := map[string]int{}
	rows := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, badInput(csvError(path, err))
		}
		rows++
		if col < 0 || col >= len(rec) || rec[col] == "" {
			continue
		}
		line, _ := r.FieldPos(col)
		if first, ok := seen[rec[col]]; ok {
			return rows, usagef("%s:%d: duplicate %s %s (first on line %d)", path, line, idColumn, rec[col], first)
		}
		seen[strings.Clone(rec[col])] = line
	}
}

// csvError names the file and line of a CSV syntax error.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", path, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// unwrapPath drops the path of an *fs.PathError; the caller names the file itself.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
