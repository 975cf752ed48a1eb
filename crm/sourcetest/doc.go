// Package sourcetest is the conformance suite every [crm.Source] passes.
//
// Every driver is fed the same logical dataset, [Fixture]: one org with accounts, contacts,
// leads, opportunities (open and closed, at various stages, with contact roles), the stage
// picklist, users and a role hierarchy four levels deep, plus the answers expected from it. The
// HTTP drivers serve it from an httptest TLS server in their CRM's own shapes, paging it (7
// records per page gives at least 3 pages for every record object); csvsource reads it from
// files written to a temporary directory.
//
// # Use
//
// A driver's test implements [Harness] and calls [Run]:
//
//	type harness struct{}
//
//	func (harness) Source(t *testing.T, ds *sourcetest.Dataset) crm.Source {
//		srv := newFakeServer(t, ds) // serves ds in the CRM's shapes, 7 records per page
//		return newSourceFor(t, srv)
//	}
//
//	func TestConformance(t *testing.T) { sourcetest.Run(t, harness{}) }
//
// A CRM that places users in business units rather than roles (Dynamics) implements
// [BusinessUnitHarness]: it is then fed [Dataset.WithBusinessUnits]. A CRM whose driver reads no
// stage history but the closing (Dynamics) implements [CloseOnlyHistoryHarness]: the suite then
// expects [Dataset.WithCloseOnlyHistory].
//
// # What is checked
//
//   - Records: every object read back equals the fixture, field by field, order-insensitive
//     (sorted by ID), times compared in UTC at second precision, contact roles as a set.
//   - Filters: [crm.Filter.ModifiedSince] (inclusive, any time zone) and [crm.Filter.IDs], alone
//     and together, unknown IDs ignored.
//   - Stage filter: [crm.FilterByStage] over the source gives the expected accounts and contacts,
//     and so does [crm.StageFilterer] when the source implements it; an unknown stage is
//     [crm.ErrUnknownStage] for both.
//   - Visibility: [crm.NewVisibility] over the users and roles read gives the expected answers,
//     and [crm.FilterVisible] keeps the expected contacts.
//   - Break: leaving a range loop on the first, second or third page is safe, leaves no
//     goroutine behind and the source stays usable.
//   - Cancellation: a canceled context ends every stream with one error matching
//     context.Canceled, before all records are delivered, with no goroutine left behind.
//   - Concurrency: several goroutines read at once (meaningful under -race).
//   - Mid-stream error, when the harness implements [FailureHarness]: the records before the
//     failure, then exactly one typed error ([*crm.APIError] or [*crm.ParseError]) whose text
//     holds no record value (names, emails, titles, companies).
//
// The goroutine checks count the goroutines of the test binary: do not run [Run] alongside
// tests marked t.Parallel in the same package.
//
// # Write-back
//
// A [crm.Writer] is checked by [RunWriter] with a [WriterHarness], which also lists what the
// fake org holds ([Stored]): one result per activity in input order; idempotency by ExternalKey
// within a batch and across batches (Created false, the existing ID); an invalid activity (an
// unknown kind) fails alone with [crm.ErrInvalid] while the rest of the batch is written; 450
// activities in one call (several CRM requests); a canceled context writes nothing; error texts
// never hold activity content.
//
// # ROI
//
// [RunROI] checks [report.ROIFromSource] end to end on a Source that is also a [crm.Writer] and a
// [crm.ActivityReader]: it serves [ROIFixture] (opportunities with amounts in two currencies,
// stage histories, won and lost deals), writes activities through the Source, stores links and a
// rejection in a bbolt file, and compares the report with numbers computed by hand (another set
// for a CRM with close-only history).
//
// Record IDs have the Salesforce shape (18 characters, real key prefixes); drivers must treat
// IDs as opaque strings. Record values include commas, quotes, apostrophes and non-ASCII
// letters to exercise escaping.
package sourcetest
