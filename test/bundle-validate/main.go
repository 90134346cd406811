// Command bundle-validate runs operator-framework/api's bundle validators (the
// code behind `operator-sdk bundle validate`) over one bundle directory and
// prints every finding as "LEVEL validator: message". Exit 1 on any error or
// warning, so the mocha test fails on either.
package main

import (
	"fmt"
	"os"

	"github.com/operator-framework/api/pkg/manifests"
	"github.com/operator-framework/api/pkg/validation"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bundle-validate BUNDLE_DIR")
		os.Exit(2)
	}
	bundle, err := manifests.GetBundleFromDir(os.Args[1])
	if err != nil {
		fmt.Printf("ERROR load: %v\n", err)
		os.Exit(1)
	}
	// Default validators plus the optional suites OperatorHub publishing uses.
	validators := validation.DefaultBundleValidators.WithValidators(
		validation.OperatorHubV2Validator,
		validation.GoodPracticesValidator,
		validation.StandardCapabilitiesValidator,
		validation.AlphaDeprecatedAPIsValidator,
	)
	objs := []interface{}{bundle}
	for _, u := range bundle.Objects {
		objs = append(objs, u)
	}
	// k8s-version lets the deprecated-API suite judge against a current cluster.
	objs = append(objs, map[string]string{"k8s-version": "1.36"})
	results := validators.Validate(objs...)
	findings := 0
	// Which validators ran goes to stderr: a silent pass must be explainable.
	for _, r := range results {
		fmt.Fprintf(os.Stderr, "ran %s (%d errors, %d warnings)\n", r.Name, len(r.Errors), len(r.Warnings))
	}
	for _, r := range results {
		for _, e := range r.Errors {
			findings++
			fmt.Printf("ERROR %s: %s\n", r.Name, e.Error())
		}
		for _, w := range r.Warnings {
			findings++
			fmt.Printf("WARNING %s: %s\n", r.Name, w.Error())
		}
	}
	if findings > 0 {
		os.Exit(1)
	}
	fmt.Println("bundle valid")
}
