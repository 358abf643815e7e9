package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/schema"
)

// reviewedPlanFlag is apply's --plan: run the plan that was reviewed.
func reviewedPlanFlag() cli.Flag {
	return &cli.StringFlag{Name: "plan", Usage: "run the plan reviewed in `PLAN.json` (written by plan --out); FILE defaults to the scenario it names. " +
		"Exit 2, before any traffic, when the scenario no longer compiles to it"}
}

// loadApplyPlan is loadPlan for apply: with --plan, the scenario is
// compiled as the reviewed plan was (its overrides, seed and clock) and
// run only if it compiles to the same plan.
func loadApplyPlan(c *cli.Context, opts runner.PlanOptions) (*runner.Plan, error) {
	planFile := c.String("plan")
	if planFile == "" {
		return loadPlan(c, opts)
	}
	for _, f := range []string{"seed", "duration", "max-visits"} {
		if c.IsSet(f) {
			return nil, exit(exitUsage, "--%s cannot be combined with --plan: the plan records what it was made with (run plan --%s … --out again)", f, f)
		}
	}
	rv, err := readReviewedPlan(planFile)
	if err != nil {
		return nil, exit(exitUsage, "--plan %s: %v", planFile, err)
	}
	path := rv.File
	switch {
	case c.NArg() == 1:
		path = c.Args().First()
	case c.NArg() > 1:
		return nil, exit(exitUsage, "apply --plan takes at most one scenario FILE")
	case path == "":
		return nil, exit(exitUsage, "--plan %s names no scenario file: give one (apply --plan %s FILE)", planFile, planFile)
	}
	popts, err := rv.Overrides.Options(rv.Seed)
	if err != nil {
		return nil, exit(exitUsage, "--plan %s: overrides.now: %v", planFile, err)
	}
	popts.MeanRequests = opts.MeanRequests
	p, err := loadPlanAt(c, path, popts)
	if err != nil {
		return nil, err
	}
	doc, err := runner.PlanDocument(p)
	if err != nil {
		return nil, exit(exitUsage, "%s: %v", path, err)
	}
	if changes := runner.ComparePlans(rv.Doc, doc); len(changes) > 0 {
		return nil, exit(exitUsage, "%s", refusal(planFile, path, rv.Digest, doc["digest"], changes))
	}
	return p, nil
}

// readReviewedPlan reads and checks a plan document.
func readReviewedPlan(path string) (*runner.ReviewedPlan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return runner.ReadPlanDocument(f, checkPlanSchema)
}

// checkPlanSchema returns the first violation of the plan schema, with
// its place, or "".
func checkPlanSchema(doc any) string {
	v := schema.ValidatePlan(doc)
	if len(v) == 0 {
		return ""
	}
	at := v[0].Pointer
	if at == "" {
		at = "/"
	}
	return fmt.Sprintf("%s: %s", at, v[0].Message)
}

// refusal says why apply --plan sends nothing: every field that differs.
func refusal(planFile, scenarioPath, reviewed string, now any, changes []runner.PlanChange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--plan %s: %s no longer compiles to the reviewed plan (digest %s in the plan, %v now); %d field(s) differ:\n",
		planFile, scenarioPath, reviewed, now, len(changes))
	for _, ch := range changes {
		fmt.Fprintf(&b, "  %s\n", ch)
	}
	b.WriteString("nothing was sent: review the new plan (plan --out) and apply that")
	return b.String()
}
