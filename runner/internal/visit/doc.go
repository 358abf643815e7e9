// Package visit generates the hits of one visit: pure generation, with no
// transport and no clock. Given a Config, a run seed and a visit index,
// Generate returns the same visit every time, whatever the order or the
// goroutine: each visit draws from its own random stream seeded by
// (seed, index), and its visitor (the _id and the fingerprint) from a
// stream keyed by (seed, Config.RunID, index), so that two runs never
// share visitors by accident.
//
// # The visit model
//
// A visit is the legacy tool's random visit (legacy spec §3) with its
// defects fixed:
//
//   - It views PageviewsMin..PageviewsMax pages, each drawn uniformly from
//     Config.Pages (repeats allowed). Every page gets a pageview hit and a
//     pv_id of 6 lowercase hex digits, distinct within the visit. The
//     visitor id (_id) is 16 lowercase hex digits.
//   - It has one source, drawn once: search, social, referral or campaign
//     by their shares, direct for the rest. The direct share is therefore
//     exactly what the others leave (legacy defect 8 raised it to at least
//     30 %). The urlref of the first hit is a URL that Matomo's own lists
//     put in the drawn category (catalog.MatomoReferrers; a search URL
//     carries its keyword); a campaign visit has no urlref, and its landing
//     page's URL carries mtm_campaign and mtm_kwd.
//   - Each action (site search, outlink, download, click event, random
//     event, order) is an independent per-visit draw. An action is its own
//     hit: an extra hit on the page it belongs to, after that page's
//     pageview, with the page's url and pv_id and the same urlref as the
//     pageview. Several actions on one page are all sent, in time order
//     (legacy defect 6 kept one and dropped the others). Actions go on a
//     page drawn uniformly from the second to the last, never the first;
//     the order goes on the last page, after its other actions. A one-page
//     visit therefore has no actions and no order.
//   - The visit ends with a ping (ping=1) that carries the last page's
//     pv_id and a rand (legacy defect 20), is sent without a pause, has no
//     action_name or urlref, and never carries ca=1.
//   - The simulated duration (DurationMin..DurationMax) is split over the
//     pages with weights uniform in [0.5, 1.5]; an action lies at a uniform
//     point of its page's dwell; the ping is at the end. Hit.Offset holds
//     these times and cdt = start + Offset in UTC, whole seconds. Generate
//     leaves cdt empty: StampEnd anchors a realtime visit so that its ping
//     is at "now" (no cdt is in the future), Place anchors a backfill visit
//     inside a day window and before a "not after" time.
//   - Hit.Pause is the real time to wait before a hit: none before the
//     first hit and the ping, PauseMin..PauseMax before every other hit.
//
// Every hit sends, in this order: idsite, rec=1, apiv=1, url, action_name
// (the page title for a pageview, as the JavaScript tracker sends
// document.title; the legacy "Search: …", "Outlink: …", "Download: …",
// "Event: … - …" and "Ecommerce Order: …" names for actions; none for the
// ping), _id, rand, cdt, pv_id, cip (with geo), new_visit=1 and the
// external urlref on the first hit or urlref = the previous page, then the
// device parameters lang, res, fla, java, qt, realp, pdf, wma, ag, cookie,
// then the action's parameters, and send_image=0 last. token_auth is never
// among them: the transport adds it, out of the URL. The user agent is the
// User-Agent header (Visit.UserAgent), not a ua parameter.
//
// Action details: a site search sends search (37 legacy terms),
// search_cat for 30 % of searches (the legacy README's figure; the legacy
// code drew an empty category one time in four and so sent one for only
// 22.5 %) and search_count 0..25. An outlink sends link; a download sends
// download, made absolute against the page's scheme and host. An event
// sends e_c, e_a, e_n, e_v when the catalogue has a value, and ca=1 as the
// JavaScript tracker does.
//
// Orders (legacy §4, with defect 9 fixed): items are drawn within
// ItemsMin..ItemsMax with the legacy skew towards few items applied above
// the minimum; prices are the catalogue price ±5 % in whole cents, always
// > 0; tax is TaxRate × subtotal rounded to the cent (shipping is not
// taxed); revenue = ec_st + ec_tx + ec_sh exactly, all sent as "%.2f";
// ec_dt is not sent; an order outside OrderMin..OrderMax is rescaled into
// it. ec_id is RunID-<visit index in base 36>: deterministic, and unique
// forever as long as run ids are (legacy defect 10: Matomo refuses a
// repeated ec_id, and 8 random hex digits collided within ~65k orders).
//
// # Funnel visits
//
// Config.Funnels are scripted journeys (docs/funnels.md). Selection walks
// them in ascending priority (Check sorts them, stable) and takes the
// first whose own draw is below its Probability; FunnelShares gives the
// resulting share of each. The draws come from a stream of their own, so a
// visit no funnel selects is exactly the visit it is without funnels.
//
// A funnel visit draws its visitor, source and geo as a random visit does,
// then sends the steps in order, each a hit with Hit.Step = its 1-based
// number: a pageview step views a new page (fresh pv_id, action_name the
// step's or "Funnel: <name> (i/n)"); any other step is an action on the
// page of the last pageview step, with its pv_id. A step's url is
// absolute, or a path on the origin of Config.Pages; without one it stays
// on the previous step's page (the first step views a random page). The
// delay of step i is simulated time before it (the first step's has no
// effect: the visit starts with its first hit). An ecommerce step orders
// with the step's model (Step.Order, else Config.Ecommerce, else the
// legacy defaults); a visit's later orders get OrderID + ".2", ".3", ….
// With ExitAfterCompletion false, random browsing follows in the same
// visit: PageviewsMin..PageviewsMax more pages with the usual action
// draws, over DurationMin..DurationMax more simulated time. Pauses and the
// ping are as in a random visit. Visit.Funnel and FunnelSteps say which
// funnel a visit follows; the runner counts steps by Hit.Step.
//
// # How Matomo counts visits, and why the fingerprint varies
//
// Matomo does not trust _id alone. With default settings a hit joins any
// visit of the same site from the last 30 minutes with the same
// fingerprint: IP address, operating system, browser name and version,
// browser plugins and language. Two visitors with different _id values
// behind one IP and one user agent become one visit, and made-up user
// agents all parse as "unknown" and collide too. new_visit=1 forces a new
// visit for the first hit only; the later hits join the most recent visit
// with their fingerprint. A generator running many visits at once from one
// machine, without cip, must therefore make concurrent visits differ. Each
// visit draws a realistic user agent from a weighted pool of current
// browsers and versions (catalog.UserAgents), an Accept-Language value, a
// screen resolution that fits the device, and browser-feature flags, and
// sends the same values on all its hits so that Matomo computes one
// configuration for the whole visit. With geo on, cip gives each visit its
// own address as well.
package visit
