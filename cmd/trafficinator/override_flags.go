package main

// fromScenario is the help's default of a flag that replaces a scenario
// field (apply's and plan's --seed, --duration, --max-visits): left out,
// the scenario's value holds. urfave/cli would print the flag's zero
// ("default: 0"), which reads as "seed 0".
const fromScenario = "from the scenario"
