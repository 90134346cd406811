//go:build tools

// Package tools pins OLM's two operators so `go build .../cmd/olm` and
// `.../cmd/catalog` resolve from this module's go.mod and go.sum.
package tools

import (
	_ "github.com/operator-framework/operator-lifecycle-manager/cmd/catalog"
	_ "github.com/operator-framework/operator-lifecycle-manager/cmd/olm"
)
