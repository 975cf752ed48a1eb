package csvsource

// CountRecords exposes countRecords to the fuzz tests.
var CountRecords = countRecords
