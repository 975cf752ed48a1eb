package salesforce

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/crmlink/crmlink/crm"
)

// csvRow is one Bulk API 2.0 result line, read by column name. Bulk writes null as an empty field.
type csvRow struct {
	cols map[string]int
	rec  []string
}

func (c *csvRow) str(name string) string {
	if i, ok := c.cols[name]; ok && i < len(c.rec) {
		return c.rec[i]
	}
	return ""
}

func (c *csvRow) boolean(name string) bool { return c.str(name) == "true" }

func (c *csvRow) number(name string) (float64, bool) {
	v, err := strconv.ParseFloat(c.str(name), 64)
	return v, err == nil
}

// bulkJob is the part of a Bulk API 2.0 job description the adapter reads.
type bulkJob struct {
	ID    string `json:"id"`
	State string `json:"state"`
	// Processed is numberRecordsProcessed, given once the job is complete; nil if absent.
	Processed *int64 `json:"numberRecordsProcessed"`
}

// createJob starts a Bulk API 2.0 query job and returns its ID.
func (s *Source) createJob(ctx context.Context, op, q string) (string, error) {
	body, _ := json.Marshal(map[string]string{
		"operation": "query", "query": q, "contentType": "CSV", "columnDelimiter": "COMMA", "lineEnding": "LF",
	})
	req, err := s.newRequest(ctx, http.MethodPost, s.dataPath("jobs/query"), body)
	if err != nil {
		return "", err
	}
	job, err := s.jobJSON(ctx, op, req)
	if err != nil {
		return "", err
	}
	if !validID(job.ID) {
		return "", &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: errors.New("job without a valid id")}
	}
	return job.ID, nil
}

func (s *Source) jobJSON(ctx context.Context, op string, req *http.Request) (bulkJob, error) {
	resp, err := s.do(ctx, op, req)
	if err != nil {
		return bulkJob{}, err
	}
	defer resp.Body.Close()
	var job bulkJob
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&job); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return bulkJob{}, &crm.APIError{Op: op, Cause: cerr}
		}
		return bulkJob{}, &crm.APIError{Op: op, Status: resp.StatusCode, Class: crm.ErrMalformed, Cause: jsonCause(err)}
	}
	return job, nil
}

// waitJob polls the job until JobComplete, backing off from bulkPoll to bulkPollMax, and returns
// the completed job.
func (s *Source) waitJob(ctx context.Context, op, id string) (bulkJob, error) {
	delay := s.opt.bulkPoll
	for {
		req, err := s.newRequest(ctx, http.MethodGet, s.dataPath("jobs/query/"+id), nil)
		if err != nil {
			return bulkJob{}, err
		}
		job, err := s.jobJSON(ctx, op, req)
		if err != nil {
			return bulkJob{}, err
		}
		switch job.State {
		case "JobComplete":
			return job, nil
		case "Failed", "Aborted":
			// The job's errorMessage may quote the query; only the state is kept.
			return bulkJob{}, &crm.APIError{Op: op, Code: "JOB_" + upper(job.State), Class: crm.ErrServer}
		case "UploadComplete", "InProgress", "Open":
		default:
			return bulkJob{}, &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: errors.New("unknown job state")}
		}
		if err := crm.Sleep(ctx, delay); err != nil {
			return bulkJob{}, &crm.APIError{Op: op, Cause: err}
		}
		delay = min(delay*2, s.opt.bulkPollMax)
	}
}

// maxRewaits bounds how often a results request answered 412 JOB_NOT_COMPLETE (after the retry
// policy's own retries) sends the adapter back to polling the job.
const maxRewaits = 3

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// results streams the CSV result pages of the completed job, following Sforce-Locator until
// "null", and calls fn with each line; fn returning false stops (and closes the page).
//
// Results are checked against the job: a page answered 204 No Content is an error (ErrServer)
// unless the job processed no record, and so is a complete read whose line count differs from the
// job's numberRecordsProcessed, so that an import can never silently return nothing. A page
// answered 412 JOB_NOT_COMPLETE is waited for: the job is polled again until complete, then the
// page is asked for again.
func (s *Source) results(ctx context.Context, op string, job bulkJob, fn func(*csvRow) (bool, error)) error {
	locator := ""
	var read int64
	count := func(r *csvRow) (bool, error) {
		read++
		return fn(r)
	}
	for rewaits := 0; ; {
		v := url.Values{"maxRecords": {strconv.Itoa(s.opt.bulkPageSize)}}
		if locator != "" {
			v.Set("locator", locator)
		}
		req, err := s.newRequest(ctx, http.MethodGet, s.dataPath("jobs/query/"+job.ID+"/results?"+v.Encode()), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "text/csv")
		resp, err := s.do(ctx, op, req)
		if errors.Is(err, crm.ErrNotReady) && rewaits < maxRewaits {
			rewaits++
			if job, err = s.waitJob(ctx, op, job.ID); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusNoContent {
			resp.Body.Close()
			if job.Processed != nil && *job.Processed == 0 && read == 0 {
				return nil // nothing to serve
			}
			return &crm.APIError{Op: op, Status: resp.StatusCode, Class: crm.ErrServer,
				Cause: fmt.Errorf("results answered 204 No Content after %d of the job's %s records", read, processed(job))}
		}
		more, err := readCSV(ctx, op, resp.Body, count)
		resp.Body.Close()
		if err != nil || !more {
			return err
		}
		locator = resp.Header.Get("Sforce-Locator")
		if locator == "" || locator == "null" {
			if job.Processed != nil && read != *job.Processed {
				return &crm.APIError{Op: op, Class: crm.ErrServer,
					Cause: fmt.Errorf("results hold %d records, the job processed %d", read, *job.Processed)}
			}
			return nil
		}
	}
}

// processed formats the job's record count for an error, "unknown" if it gave none.
func processed(job bulkJob) string {
	if job.Processed == nil {
		return "unknown"
	}
	return strconv.FormatInt(*job.Processed, 10)
}

// readCSV parses one result page, streaming: the header names the columns, each line becomes a
// csvRow reused across lines. It reports whether fn wants more.
func readCSV(ctx context.Context, op string, body io.Reader, fn func(*csvRow) (bool, error)) (bool, error) {
	cr := csv.NewReader(body)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return true, nil // an empty page
	}
	if err != nil {
		return false, csvError(ctx, op, err)
	}
	row := &csvRow{cols: make(map[string]int, len(header))}
	for i, h := range header {
		row.cols[h] = i
	}
	cr.FieldsPerRecord = len(header)
	for {
		if err := ctx.Err(); err != nil {
			return false, &crm.APIError{Op: op, Cause: err}
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return true, nil
		}
		if err != nil {
			return false, csvError(ctx, op, err)
		}
		row.rec = rec
		more, err := fn(row)
		if err != nil || !more {
			return false, err
		}
	}
}

// csvError describes a CSV failure by line and column only.
func csvError(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return &crm.APIError{Op: op, Cause: cerr}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: fmt.Errorf("CSV line %d column %d: %w", pe.Line, pe.Column, pe.Err)}
	}
	return &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: safeCause(err)}
}

// bulkRun runs one query job per SOQL query of sp under f and calls fn per line.
func (s *Source) bulkRun(ctx context.Context, sp spec, f crm.Filter, idField string, fn func(*csvRow) (bool, error)) error {
	op := "bulk query " + sp.object
	qs, err := soql(sp, f, "", idField)
	if err != nil {
		return err
	}
	stopped := false
	wrapped := func(r *csvRow) (bool, error) {
		more, err := fn(r)
		stopped = !more
		return more, err
	}
	for _, q := range qs {
		id, err := s.createJob(ctx, op, q)
		if err != nil {
			return err
		}
		job, err := s.waitJob(ctx, op, id)
		if err != nil {
			return err
		}
		if err := s.results(ctx, op, job, wrapped); err != nil || stopped {
			return err
		}
	}
	return nil
}

// bulkSeq streams sp's records through Bulk API 2.0 query jobs.
func bulkSeq[T any](s *Source, ctx context.Context, sp spec, f crm.Filter, idField string, dec func(row) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		err := s.bulkRun(ctx, sp, f, idField, func(r *csvRow) (bool, error) {
			v, err := dec(r)
			if err != nil {
				return false, err
			}
			return yield(v, nil), nil
		})
		if err != nil {
			yield(zero, err)
		}
	}
}

// bulkOpportunities reads the contact roles and the stage history with one job each (IDs, stage
// names and times only, held in memory), then streams the opportunities with another, attaching
// each one's contact IDs and stage changes.
func bulkOpportunities(s *Source, ctx context.Context, sp spec, f crm.Filter) iter.Seq2[crm.Opportunity, error] {
	return func(yield func(crm.Opportunity, error) bool) {
		roles := make(map[string][]string)
		rf := crm.Filter{IDs: f.IDs} // contact roles and history of the selected opportunities, any modification date
		err := s.bulkRun(ctx, contactRoleSpec, rf, "OpportunityId", func(r *csvRow) (bool, error) {
			o, c := r.str("OpportunityId"), r.str("ContactId")
			if o != "" && c != "" {
				roles[o] = append(roles[o], c)
			}
			return true, nil
		})
		if err != nil {
			yield(crm.Opportunity{}, err)
			return
		}
		for k, v := range roles {
			slices.Sort(v)
			roles[k] = slices.Compact(v)
		}
		hist := make(map[string][]crm.StageChange)
		err = s.bulkRun(ctx, historySpec, rf, "OpportunityId", func(r *csvRow) (bool, error) {
			at, err := datetime(r, "OpportunityHistory", "CreatedDate")
			if err != nil {
				return false, err
			}
			if o, st := r.str("OpportunityId"), r.str("StageName"); o != "" && st != "" && !at.IsZero() {
				hist[o] = append(hist[o], crm.StageChange{Stage: st, At: at})
			}
			return true, nil
		})
		if err != nil {
			yield(crm.Opportunity{}, err)
			return
		}
		for o, err := range bulkSeq(s, ctx, sp, f, "Id", decodeOpportunity) {
			if err == nil {
				o.ContactIDs = roles[o.ID]
				o.History = stageHistory(hist[o.ID])
			}
			if !yield(o, err) || err != nil {
				return
			}
		}
	}
}
