//go:build tools

// Package tools pins kwok's controller so `go build sigs.k8s.io/kwok/cmd/kwok`
// resolves from this module's go.mod and go.sum.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
