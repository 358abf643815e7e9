package web

import (
	"crypto/sha256"
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

func TestEqualSecret(t *testing.T) {
	want := sha256.Sum256([]byte("abc"))
	for got, ok := range map[string]bool{"abc": true, "abd": false, "ab": false, "abcd": false, "": false, "ABC": false} {
		if equalSecret(want, got) != ok {
			t.Errorf("equalSecret(abc, %q) = %v, want %v", got, !ok, ok)
		}
	}
}

// TestSecretsAreComparedInConstantTime reads guard.go: the token and the
// CSRF token reach a comparison only through equalSecret, which hashes
// both sides and uses crypto/subtle, and no == or != touches them. Time
// measurements would be flaky on a shared machine; the code is the proof.
func TestSecretsAreComparedInConstantTime(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "guard.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]map[string]bool{} // function -> names it calls
	ast.Inspect(f, func(n ast.Node) bool {
		fn, ok := n.(*ast.FuncDecl)
		if !ok {
			return true
		}
		calls[fn.Name.Name] = map[string]bool{}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch f := n.Fun.(type) {
				case *ast.Ident:
					calls[fn.Name.Name][f.Name] = true
				case *ast.SelectorExpr:
					if x, ok := f.X.(*ast.Ident); ok {
						calls[fn.Name.Name][x.Name+"."+f.Sel.Name] = true
					}
				}
			case *ast.BinaryExpr:
				if n.Op == token.EQL || n.Op == token.NEQ {
					for _, side := range []ast.Expr{n.X, n.Y} {
						if s, ok := side.(*ast.SelectorExpr); ok && (s.Sel.Name == "token" || s.Sel.Name == "csrf") {
							t.Errorf("%s compares g.%s with %s", fn.Name.Name, s.Sel.Name, n.Op)
						}
					}
				}
			}
			return true
		})
		return false
	})
	if !calls["equalSecret"]["subtle.ConstantTimeCompare"] || !calls["equalSecret"]["sha256.Sum256"] {
		t.Errorf("equalSecret calls %v, want sha256.Sum256 and subtle.ConstantTimeCompare", calls["equalSecret"])
	}
	for _, fn := range []string{"validToken", "validCSRF"} {
		if !calls[fn]["equalSecret"] {
			t.Errorf("%s does not compare through equalSecret", fn)
		}
	}
}
