package main

import (
	"sync"

	"github.com/trafficinator/trafficinator/scenario/convert"
	"github.com/trafficinator/trafficinator/scenario/legacy"
)

// converters is the one registry of format converters, built here and
// nowhere else: the loader uses it so that validate, plan and apply take a
// legacy .env file (converted in memory), and migrate uses it to write the
// converted file. A new format is one more Register call below.
var converters = sync.OnceValue(func() *convert.Registry {
	r := convert.NewRegistry()
	if err := legacy.Register(r); err != nil {
		panic(err) // a fixed list of converters: a bad one is a programming error
	}
	return r
})
