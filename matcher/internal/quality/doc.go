// Package quality holds the scale harness of the matching engine: recall of
// the engine over memdir on the hard synthetic company generator
// ([synth.World.HardCompanyQueries]) at up to 1,000,000 companies, next to
// a plain baseline in the same run (a trigram index with Jaro-Winkler
// re-ranking). It has tests only; they skip unless CRMLINK_SCALE=1, so that
// `go test ./...` stays fast:
//
//	CRMLINK_SCALE=1 go test ./matcher/internal/quality -run TestHardCompanies -v -timeout 30m
//
// CRMLINK_SCALE_N sets the number of companies (default 1,000,000) and
// CRMLINK_SCALE_Q the number of queries (default 5,000);
// CRMLINK_SCALE_BASELINE=0 leaves the baseline out.
package quality
