// compose-check loads compose files the way Docker Compose v2 does (github.com/compose-spec/compose-go, the loader
// `docker compose` itself uses: schema, interpolation, env files, merge, normalization, consistency checks), with no
// Docker daemon and no compose plugin.
//
//	compose-check [-json] FILE...
//
// Exit 0 and `valid: N services` (with -json: the loaded project as JSON, the model `docker compose config` prints);
// exit 1 and the loader's error otherwise. Variables come from the environment and the project's .env, as in Compose.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	asJSON := flag.Bool("json", false, "print the loaded project as JSON")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: compose-check [-json] FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := check(flag.Args(), *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func check(files []string, asJSON bool) error {
	options, err := cli.NewProjectOptions(files, cli.WithOsEnv, cli.WithDotEnv)
	if err != nil {
		return err
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		return err
	}
	if !asJSON {
		fmt.Printf("valid: %d services\n", len(project.Services))
		return nil
	}
	out, err := project.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(append(out, '\n'))
	return err
}
