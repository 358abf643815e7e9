package matomo

import (
	"encoding/json"
	"testing"
)

func TestAppendBulkBody(t *testing.T) {
	for _, tc := range []struct {
		name    string
		queries []string
		token   string
		want    string
	}{
		{"no token", []string{"a=1", "b=2"}, "", `{"requests":["?a=1","?b=2"]}`},
		{"token at top level", []string{"a=1"}, "tok", `{"requests":["?a=1"],"token_auth":"tok"}`},
		{"leading ? not doubled", []string{"?a=1"}, "", `{"requests":["?a=1"]}`},
		{"escaping", []string{"q=\"x\\y\"\n\t\x01"}, `t"k`, `{"requests":["?q=\"x\\y\"\n\t\u0001"],"token_auth":"t\"k"}`},
		{"utf-8 kept, invalid replaced", []string{"q=é\xff"}, "", `{"requests":["?q=é\ufffd"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(appendBulkBody(nil, tc.queries, tc.token))
			if got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("not valid JSON: %s", got)
			}
		})
	}
}

func TestParseBulkAnswer(t *testing.T) {
	for _, tc := range []struct {
		body         string
		parsed       bool
		ok, rejected int // for 5 hits, when parsed with status success
	}{
		{`{"status":"success","tracked":5,"invalid":0}`, true, 5, 0},
		{`{"status":"success","tracked":3,"invalid":2,"invalid_indices":[1,4]}`, true, 3, 2},
		{`{"status":"success","tracked":3,"invalid":0,"invalid_indices":[1,4]}`, true, 3, 2},
		{`{"status":"success","tracked":0,"invalid":7}`, true, 0, 5},
		{`{"status":"success","tracked":1}`, true, 1, 4},
		{`{"status":"error","tracked":0}`, true, 0, 0},
		{`{"status":"success"}`, false, 0, 0},
		{`{"status":"success","tracked":-1}`, false, 0, 0},
		{`{"status":"success","tracked":1,"invalid":-1}`, false, 0, 0},
		{`{"status":"success","tracked":1.5}`, false, 0, 0},
		{`{"status":"weird","tracked":1}`, false, 0, 0},
		{`{"tracked":1}`, false, 0, 0},
		{`GIF89a`, false, 0, 0},
		{``, false, 0, 0},
		{`{"status":"success","tracked":5`, false, 0, 0},
	} {
		a, parsed := parseBulkAnswer([]byte(tc.body))
		if parsed != tc.parsed {
			t.Errorf("%s: parsed = %v, want %v", tc.body, parsed, tc.parsed)
			continue
		}
		if parsed && a.Status == "success" {
			ok, rej := a.splitBulk(5)
			if ok != tc.ok || rej != tc.rejected {
				t.Errorf("%s: split = %d/%d, want %d/%d", tc.body, ok, rej, tc.ok, tc.rejected)
			}
		}
	}
}

// FuzzParseBulkAnswer: any answer parses without panicking, and a usable
// one always splits into counts that cover every hit exactly once.
func FuzzParseBulkAnswer(f *testing.F) {
	for _, s := range []string{
		`{"status":"success","tracked":3,"invalid":1,"invalid_indices":[2]}`,
		`{"status":"success","tracked":1000000000000,"invalid":0}`,
		`{"status":"error","message":"x"}`,
		`{"status":"success","tracked":0,"invalid":0,"invalid_indices":[0,1,2,3,4,5,6,7,8,9,10,11]}`,
		`null`, `[]`, `"success"`, `{"status":null}`, "\xff",
	} {
		f.Add([]byte(s), 10)
	}
	f.Fuzz(func(t *testing.T, body []byte, hits int) {
		a, ok := parseBulkAnswer(body)
		if !ok || a.Status != "success" {
			return
		}
		hits %= 10000
		if hits < 0 {
			hits = -hits
		}
		hits = max(1, hits) // SendBulk never has fewer than one hit
		good, rejected := a.splitBulk(hits)
		if good < 0 || rejected < 0 || good+rejected != hits {
			t.Fatalf("%q with %d hits: ok %d + rejected %d", body, hits, good, rejected)
		}
	})
}

// FuzzAppendJSONString: the hand-written escaper decodes to what
// encoding/json makes of the same string.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a=1&b=%20", "\"\\\n\r\t\x00\x1f", "é€😀", "\xff\xfe", "\u2028<>&",
		// the eight-byte path: a byte to escape at each offset of a word
		"abcdefgh\"ijklmnop", "0123456\\89abcdef", "0123456789abcde\x01", "ab\x7fcdefg\x80hij", "idsite=1&rec=1&url=https%3A%2F%2Fe.com%2F\x1f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mine := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(mine, &got); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, mine, err)
		}
		ref, _ := json.Marshal(s)
		var want string
		_ = json.Unmarshal(ref, &want)
		if got != want {
			t.Fatalf("%q: decodes to %q, encoding/json gives %q", s, got, want)
		}
	})
}

// jsonPlain8 agrees with the byte-wise rule for every byte value at every
// position of a word of plain bytes.
func TestJSONPlain8EveryByte(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			word := []byte("aaaaaaaa")
			word[pos] = byte(c)
			want := c >= 0x20 && c < 0x80 && c != '"' && c != '\\'
			if got := jsonPlain8(load8(string(word), 0)); got != want {
				t.Errorf("byte %#x at %d: plain %v, want %v", c, pos, got, want)
			}
		}
	}
}
