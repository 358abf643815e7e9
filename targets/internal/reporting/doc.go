// Package reporting is a client of Matomo's Reporting API (index.php,
// module=API): it reads what Matomo recorded, so that a run can be
// verified against what it sent (docs/verify.md). testdata/matomo-api
// holds real answers of Matomo 5.0.2, copied from the project's reference
// material, for its golden tests.
//
// A Client reads one site: every call is one POST to index.php with all
// parameters, token_auth included, in the body. Answers are parsed
// tolerantly (Matomo writes a column as a number or a string, and a day
// without data as [] or as zeros) into the shapes of targets/kind, money
// in cents. Every failure is an *Error of a Kind (auth, http, decode, api)
// whose text never shows the token.
package reporting
