package tiledesktest

// BasePath is the path under which the fake serves the API, normalized:
// "" (the root, as a self-hosted server) or such as "/v3" (as the cloud).
func (s *Server) BasePath() string { return s.base }
