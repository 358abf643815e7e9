package plan

import "time"

// The defaults of format v1, in one place. docs/scenario.md documents each.
const (
	DefaultRatePerDay   = 20000.0 // legacy TARGET_VISITS_PER_DAY
	DefaultConcurrency  = 50
	DefaultRouting      = "weighted"
	DefaultTimeout      = 10 * time.Second
	DefaultDelivery     = "at_most_once"
	DefaultPageviewsMin = 3
	DefaultPageviewsMax = 6
	DefaultPauseMin     = 500 * time.Millisecond
	DefaultPauseMax     = 2 * time.Second
	DefaultDurationMin  = time.Minute
	DefaultDurationMax  = 8 * time.Minute

	DefaultSearchShare   = 0.35
	DefaultSocialShare   = 0.15
	DefaultReferralShare = 0.20

	DefaultSiteSearch   = 0.15
	DefaultOutlinks     = 0.10
	DefaultDownloads    = 0.08
	DefaultClickEvents  = 0.25
	DefaultRandomEvents = 0.12

	DefaultEcommerce     = 0.05
	DefaultCurrency      = "USD"
	DefaultOrderMin      = 15.99
	DefaultOrderMax      = 299.99
	DefaultItemsMin      = 1
	DefaultItemsMax      = 5
	DefaultTaxRate       = 0.10
	DefaultBackfillDaily = 2000
)

// DefaultShipping is the list of shipping costs an order draws from.
var DefaultShipping = []float64{0, 5.99, 9.99, 15.99}
