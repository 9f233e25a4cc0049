package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// The start-up harness does what Terraform does to reach a provider, minus
// go-plugin's automatic mutual TLS: it starts the binary with the plugin
// handshake variables, reads the handshake line from its stdout, connects to
// the socket it names and calls GetProviderSchema. Messages travel as raw
// bytes (an empty message encodes as zero bytes), so no generated protocol
// code is needed.

// Handshake values of terraform-plugin-go (tf6server).
const (
	magicCookie = "TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
	protocols   = "PLUGIN_PROTOCOL_VERSIONS=6"
)

// startup is one timed start of the provider.
type startup struct {
	handshake   time.Duration // exec to the handshake line: the gRPC server listens
	schema      time.Duration // exec to the GetProviderSchema answer
	schemaBytes int
}

// timeStartup starts bin once with env and times it.
func timeStartup(ctx context.Context, bin string, env []string) (startup, error) {
	var s startup
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(env, magicCookie, protocols)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return s, err
	}
	cmd.Stderr = io.Discard // the SDK's JSON logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return s, err
	}
	defer func() {
		_ = cmd.Process.Kill() // already gone after a Shutdown
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return s, fmt.Errorf("reading the plugin handshake of %s: %w", bin, err)
	}
	s.handshake = time.Since(start)
	addr, err := handshakeAddress(line)
	if err != nil {
		return s, err
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return s, err
	}
	defer func() { _ = conn.Close() }()
	var schema []byte
	if err := conn.Invoke(ctx, "/tfplugin6.Provider/GetProviderSchema", &[]byte{}, &schema, grpc.ForceCodec(rawCodec{})); err != nil {
		return s, fmt.Errorf("GetProviderSchema: %w", err)
	}
	s.schema, s.schemaBytes = time.Since(start), len(schema)
	// go-plugin's controller: a clean exit, which also removes the socket.
	_ = conn.Invoke(ctx, "/plugin.GRPCController/Shutdown", &[]byte{}, &[]byte{}, grpc.ForceCodec(rawCodec{}))
	return s, nil
}

// handshakeAddress reads go-plugin's handshake line,
// "core-version|app-version|network|address|protocol[|server-cert]", and
// returns a gRPC target for its address.
func handshakeAddress(line string) (string, error) {
	parts := strings.Split(strings.TrimSpace(line), "|")
	if len(parts) < 5 || parts[1] != "6" || parts[4] != "grpc" {
		return "", fmt.Errorf("unexpected plugin handshake %q (want protocol 6 over grpc)", line)
	}
	if len(parts) > 5 && parts[5] != "" {
		return "", fmt.Errorf("the provider asked for TLS in its handshake %q", line)
	}
	switch parts[2] {
	case "unix":
		return "unix:" + parts[3], nil
	case "tcp":
		return parts[3], nil
	}
	return "", fmt.Errorf("unexpected network %q in the plugin handshake", parts[2])
}

// rawCodec sends and receives messages as the bytes they already are. Its
// name is "proto" so that the server decodes them with its own protobuf codec.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *v.(*[]byte), nil }

func (rawCodec) Unmarshal(data []byte, v any) error {
	*v.(*[]byte) = append([]byte(nil), data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }
