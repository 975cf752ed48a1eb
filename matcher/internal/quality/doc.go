// Package quality holds the accuracy harnesses of the matching engine, so
// that the tests of package matcher are its unit tests. It has tests only:
//
//   - TestAccuracy and TestAccuracyAddresses: internal/synth worlds of 20k
//     companies and members with CRM-style corrupted queries, with floors;
//
//   - TestRealWorld: the hand-written real-world set in testdata/realworld,
//     bare and padded with synthetic entities, with floors;
//
//   - TestFit: what fitting the model without labels learns
//     ([matcher.Engine.FitCompanies], [matcher.Engine.FitMembers]);
//
//   - TestHardCompanies, the scale harness: recall of the engine over memdir
//     on the hard synthetic company generator
//     ([synth.World.HardCompanyQueries]) at up to 1,000,000 companies, next
//     to a plain baseline in the same run (a trigram index with
//     Jaro-Winkler re-ranking), and the precision, recall and F1 of its
//     match decisions with the default model and after fitting it to the
//     batch; 10% of the companies are left out of the directory so that
//     their queries are absent. It skips unless CRMLINK_SCALE=1, so that
//     `go test ./...` stays fast:
//
//     CRMLINK_SCALE=1 go test ./matcher/internal/quality -run TestHardCompanies -v -timeout 30m
//
// CRMLINK_SCALE_N sets the number of companies (default 1,000,000) and
// CRMLINK_SCALE_Q the number of queries (default 5,000);
// CRMLINK_SCALE_BASELINE=0 leaves the baseline out.
package quality
