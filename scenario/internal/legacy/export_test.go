package legacy

// LegacyKeyNames exposes the adapter's variable table to the external tests.
var LegacyKeyNames = keyNames
