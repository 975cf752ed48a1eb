package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/override"
)

// exportNames are the canonical names of the files of a CSV export, for messages.
const exportNames = "accounts.csv, contacts.csv, leads.csv, opportunities.csv, stages.csv, users.csv, roles.csv " +
	"(any case; the CRM's own names such as Account.csv too) and activities.csv"

// openCSVFolder opens the CSV export in dir. csvsource checks the file names (any case, the
// CRM's own names, one name per object) and the rows (an ID on two rows fails the read naming
// both lines); the command adds that no CSV file in the folder goes unread, since a misnamed
// export would otherwise sync as an empty object. It returns the records of each object, the
// progress totals. A bad folder is bad input naming the folder or file; a failure to read a
// file while counting is a runtime error.
func openCSVFolder(ctx context.Context, dir string) (*csvsource.Source, map[override.Object]int, error) {
	src, err := csvsource.Open(dir)
	if err != nil {
		return nil, nil, badInput(fmt.Errorf("-crm: %w", err))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, badInput(fmt.Errorf("-crm csv:%s: %w", dir, unwrapPath(err)))
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(filepath.Ext(name), ".csv") || csvsource.FileName(name) != "" {
			continue
		}
		if strings.EqualFold(name, csvsource.ActivitiesFile) {
			return nil, nil, usagef("%s: rename it to %s (written activities are kept under that exact name)", filepath.Join(dir, name), csvsource.ActivitiesFile)
		}
		return nil, nil, usagef("%s: not a CRM export file name; want %s", filepath.Join(dir, name), exportNames)
	}
	totals := map[override.Object]int{}
	// Counting every object also finds two names of one object before anything is synced.
	for _, obj := range []crm.Object{crm.ObjectAccount, crm.ObjectContact, crm.ObjectLead, crm.ObjectOpportunity,
		crm.ObjectStage, crm.ObjectUser, crm.ObjectRole} {
		n, err := src.Count(ctx, obj)
		if err != nil {
			if errors.Is(err, crm.ErrInvalid) {
				return nil, nil, badInput(fmt.Errorf("-crm: %w", err))
			}
			return nil, nil, fmt.Errorf("-crm: %w", err)
		}
		totals[override.Object(obj)] = n
	}
	return src, totals, nil
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
