//go:build tools

// Package tools pins opm so `go build .../cmd/opm` resolves from this
// module's go.mod and go.sum.
package tools

import _ "github.com/operator-framework/operator-registry/cmd/opm"
