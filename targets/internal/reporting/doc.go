// Package reporting is a client of Matomo's Reporting API (index.php,
// module=API): it reads what Matomo recorded, so that a run can be
// verified against what it sent (docs/verify.md). testdata/matomo-api
// holds real answers of Matomo 5.0.2, copied from the project's reference
// material, for its golden tests.
package reporting
