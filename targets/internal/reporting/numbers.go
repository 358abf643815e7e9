package reporting

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// number is a figure of a Matomo answer. Matomo writes the same column as
// a JSON number in one report and as a string in another ("2581" in
// UserCountry.getCountry, "17%" for rates), and null or false for
// nothing: all of them decode, as 0 for the empty ones.
type number float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null", string(b) == "false", string(b) == "":
		*n = 0
		return nil
	case string(b) == "true":
		*n = 1
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSuffix(strings.TrimSpace(s), "%")
		if s == "" {
			*n = 0
			return nil
		}
		return n.parse(s)
	}
	return n.parse(string(b))
}

func (n *number) parse(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("value %q is not a number", shorten(s))
	}
	*n = number(v)
	return nil
}

// text is a column of text that Matomo sets to null when it does not
// apply, and may write as a number (an order id of digits).
type text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*t = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		err := json.Unmarshal(b, &s)
		*t = text(s)
		return err
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*t = text(b)
		return nil
	}
	return fmt.Errorf("value %s is not text", shorten(string(b)))
}

// count is a figure that counts (visits, actions): rounded to an integer.
func (n number) count() int64 { return roundHalfAway(float64(n)) }

// cents converts an amount of the site's currency to cents, rounded half
// away from zero: Matomo's 3060.8299999999995 is 306083.
func (n number) cents() int64 { return roundHalfAway(float64(n) * 100) }

// roundHalfAway rounds to the nearest integer, halves away from zero,
// clamped to int64's range.
func roundHalfAway(v float64) int64 {
	r := math.Round(v)
	switch {
	case r >= math.MaxInt64:
		return math.MaxInt64
	case r <= math.MinInt64:
		return math.MinInt64
	}
	return int64(r)
}

// decodeObject decodes an answer that is one object into v. Matomo answers
// a day without data with [] instead of the object of zeros, and
// Live.getCounters with an array of one object: both decode.
func decodeObject(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		var rows []json.RawMessage
		if err := json.Unmarshal(body, &rows); err != nil {
			return jsonProblem(err)
		}
		switch len(rows) {
		case 0:
			return nil
		case 1:
			body = rows[0]
		default:
			return fmt.Errorf("an array of %d rows where one object was expected", len(rows))
		}
	}
	if len(body) == 0 || body[0] != '{' {
		return errors.New("the answer is not a JSON object")
	}
	return jsonProblem(json.Unmarshal(body, v))
}

// decodeRows decodes an answer that is a table (an array of rows) into
// rows. An empty table may come as {} as well as [].
func decodeRows[T any](body []byte) ([]T, error) {
	body = bytes.TrimSpace(body)
	if string(body) == "{}" {
		return nil, nil
	}
	if len(body) == 0 || body[0] != '[' {
		return nil, errors.New("the answer is not a JSON array of rows")
	}
	var rows []T
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, jsonProblem(err)
	}
	return rows, nil
}

// jsonProblem says where a JSON answer went wrong, in terms of its
// columns rather than of Go types.
func jsonProblem(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return fmt.Errorf("column %q at byte %d is a JSON %s, not the expected kind", te.Field, te.Offset, te.Value)
	case errors.As(err, &se):
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
	}
	return err
}
