package tiledesktest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Segment is a stored segment, typed: what the segment hooks (Seed, Get,
// Edit, Segments) take and give. Ghosts born of an upsert have no ProjectID
// and no CreatedBy.
type Segment struct {
	ID        string    `json:"_id"`
	Name      string    `json:"name"`
	Match     string    `json:"match"`
	Filters   []Filter  `json:"filters"`
	ProjectID string    `json:"id_project,omitempty"`
	Status    int       `json:"status"`
	CreatedBy string    `json:"createdBy,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`

	unnamed bool // an upsert ghost that was never sent a name: no "name" key at all (segmentOf)
}

// Filter is one condition of a segment. Value keeps the JSON type it was
// sent with (3 is a number, "3" a string); nil renders as null.
type Filter struct {
	Field    string          `json:"field"`
	Operator string          `json:"operator"`
	Value    json.RawMessage `json:"value"`
}

// Lead is a contact of a project, matched by segments. Its JSON is the
// server's answer (status 100, updatedAt = createdAt, empty fields omitted).
type Lead struct {
	ID         string         `json:"_id,omitempty"`
	LeadID     string         `json:"lead_id,omitempty"`
	Fullname   string         `json:"fullname,omitempty"`
	Email      string         `json:"email,omitempty"`
	Phone      string         `json:"phone,omitempty"`
	Company    string         `json:"company,omitempty"`
	City       string         `json:"city,omitempty"`
	Region     string         `json:"region,omitempty"`
	Country    string         `json:"country,omitempty"`
	Tags       []string       `json:"tags,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	ProjectID  string         `json:"id_project,omitempty"`
	CreatedAt  time.Time      `json:"createdAt"`
}

// Status values of a segment.
const (
	StatusLive    = 100
	StatusDeleted = 0
)

const isoMillis = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(isoMillis) }

// MarshalJSON renders the lead as the server does.
func (l Lead) MarshalJSON() ([]byte, error) {
	type plain Lead
	at := formatTime(l.CreatedAt)
	return marshal(struct {
		plain
		Status    int    `json:"status"`
		CreatedAt string `json:"createdAt"`
		UpdatedAt string `json:"updatedAt"`
	}{plain(l), StatusLive, at, at})
}

// marshal is json.Marshal without HTML escaping and without the trailing
// newline, like JSON.stringify.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// isObjectID reports whether id casts to a MongoDB ObjectId: 24 hex digits,
// or any 12 characters (their bytes are the id, as in mongoose 5).
func isObjectID(id string) bool {
	if len(id) == 12 {
		return true
	}
	return isHexID(id)
}

func isHexID(id string) bool {
	if len(id) != 24 {
		return false
	}
	for _, c := range strings.ToLower(id) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// objectID is the canonical (lower case hex) form of a valid id.
func objectID(id string) string {
	if len(id) == 12 {
		return hex.EncodeToString([]byte(id))
	}
	return strings.ToLower(id)
}

// storedLead is a lead as inserted plus its JSON document for matching.
type storedLead struct {
	project string
	raw     json.RawMessage
	doc     map[string]any
}

// store holds the data; Server.mu guards it.
type store struct {
	epoch    int64 // seconds; the first 8 hex digits of ids, like an ObjectId
	seq      uint64
	docs     map[string]map[string]doc // collection -> _id -> document (store.go)
	leads    []storedLead
	users    []User
	projects map[string]bool
}

func newStore(epoch int64) store {
	return store{epoch: epoch, docs: map[string]map[string]doc{}, projects: map[string]bool{}}
}

// newID returns a fresh ObjectId-like id: 24 lower case hex digits, unique
// and increasing.
func (st *store) newID() string {
	for {
		st.seq++
		id := fmt.Sprintf("%08x%016x", st.epoch&0xffffffff, st.seq)
		if !st.taken(id) {
			return id
		}
	}
}

func (st *store) userByToken(token string) (User, bool) {
	i := slices.IndexFunc(st.users, func(u User) bool { return u.Token == token })
	return st.user(i)
}

func (st *store) userByEmail(email string) (User, bool) {
	i := slices.IndexFunc(st.users, func(u User) bool { return strings.EqualFold(u.Email, email) })
	return st.user(i)
}

func (st *store) user(i int) (User, bool) {
	if i < 0 {
		return User{}, false
	}
	return st.users[i], true
}
