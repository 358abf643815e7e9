package verify

import (
	"errors"
	"strconv"
)

var errWrongToken = errors.New("the token has no view access")

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func formatRatio(r float64) string { return strconv.FormatFloat(r, 'f', -1, 64) }
