package widget

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/override"
)

// Profile is what a card shows of a network entity: its public profile, never CRM data.
type Profile struct {
	Ref      override.EntityRef
	Name     string // a company's name, a member's full name
	Headline string // a member's title, a company's industry
	Company  string // a member's company
	Location string
	Website  string // a company's website
}

// Profiles finds the public profile of an entity, for display. Directories hold normalised
// features only, so display data comes from here. Implementations must be safe for concurrent
// use.
type Profiles interface {
	// Profile returns the profile of ref; ok is false when there is none.
	Profile(ctx context.Context, ref override.EntityRef) (p Profile, ok bool, err error)
}

// MemoryProfiles is an in-memory [Profiles] loaded from the directory CSVs (the column contract
// of examples/match). It keeps display fields only: a member's email column is ignored. The
// zero value is empty and ready to use; it is safe for concurrent use.
type MemoryProfiles struct {
	mu sync.RWMutex
	m  map[override.EntityRef]Profile
}

// Add adds or replaces p.
func (mp *MemoryProfiles) Add(p Profile) {
	mp.mu.Lock()
	defer mp.mu.Unlock()
	if mp.m == nil {
		mp.m = make(map[override.EntityRef]Profile)
	}
	mp.m[p.Ref] = p
}

// Profile implements [Profiles].
func (mp *MemoryProfiles) Profile(ctx context.Context, ref override.EntityRef) (Profile, bool, error) {
	if err := ctx.Err(); err != nil {
		return Profile{}, false, err
	}
	mp.mu.RLock()
	defer mp.mu.RUnlock()
	p, ok := mp.m[ref]
	return p, ok, nil
}

// LoadCompaniesCSV adds the companies of a CSV with the columns id,name,industry,location,website
// (header row, any order, unknown columns ignored). file names r in errors. It returns how many
// were added.
func (mp *MemoryProfiles) LoadCompaniesCSV(r io.Reader, file string) (int, error) {
	return loadCSV(r, file, []string{"id"}, func(get func(string) string) {
		mp.Add(Profile{
			Ref:  override.EntityRef{Kind: override.Company, ID: get("id")},
			Name: get("name"), Headline: get("industry"), Location: get("location"), Website: get("website"),
		})
	})
}

// LoadMembersCSV adds the members of a CSV with the columns
// id,first_name,last_name,company,title,location (an email column is ignored). file names r in
// errors. It returns how many were added.
func (mp *MemoryProfiles) LoadMembersCSV(r io.Reader, file string) (int, error) {
	return loadCSV(r, file, []string{"id"}, func(get func(string) string) {
		mp.Add(Profile{
			Ref:      override.EntityRef{Kind: override.Member, ID: get("id")},
			Name:     strings.TrimSpace(get("first_name") + " " + get("last_name")),
			Headline: get("title"), Company: get("company"), Location: get("location"),
		})
	})
}

var _ Profiles = (*MemoryProfiles)(nil)

// Connection is how the viewer is connected to a member of the network.
type Connection struct {
	Degree int // 1, 2 or 3; 0 when out of network
	Shared int // connections the viewer and the member have in common
}

// Connections tells how a viewer's own member profile is connected to another member. The card
// shows it; matching never uses it. Implementations must be safe for concurrent use.
type Connections interface {
	// Connection returns the connection of viewer to member; ok is false when they are not
	// connected within three degrees.
	Connection(ctx context.Context, viewer, member string) (c Connection, ok bool, err error)
}

// MemoryConnections is an in-memory [Connections] over an undirected graph of first-degree
// connections. The zero value is empty and ready to use; it is safe for concurrent use.
type MemoryConnections struct {
	mu  sync.RWMutex
	adj map[string]map[string]struct{}
}

// Connect records a first-degree connection between members a and b.
func (mc *MemoryConnections) Connect(a, b string) {
	if a == "" || b == "" || a == b {
		return
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if mc.adj == nil {
		mc.adj = make(map[string]map[string]struct{})
	}
	for _, p := range [2][2]string{{a, b}, {b, a}} {
		s := mc.adj[p[0]]
		if s == nil {
			s = make(map[string]struct{})
			mc.adj[p[0]] = s
		}
		s[p[1]] = struct{}{}
	}
}

// LoadCSV adds the connections of a CSV with the columns member_id,connection_id (header row,
// any order, unknown columns ignored). file names r in errors. It returns how many rows it read.
func (mc *MemoryConnections) LoadCSV(r io.Reader, file string) (int, error) {
	return loadCSV(r, file, []string{"member_id", "connection_id"}, func(get func(string) string) {
		mc.Connect(get("member_id"), get("connection_id"))
	})
}

// Connection implements [Connections]: degree 1 for a direct connection, 2 when they share a
// connection, 3 when a connection of the viewer is connected to one of the member's.
func (mc *MemoryConnections) Connection(ctx context.Context, viewer, member string) (Connection, bool, error) {
	if err := ctx.Err(); err != nil {
		return Connection{}, false, err
	}
	if viewer == "" || member == "" || viewer == member {
		return Connection{}, false, nil
	}
	mc.mu.RLock()
	defer mc.mu.RUnlock()
	va, ma := mc.adj[viewer], mc.adj[member]
	shared := 0
	small, big := va, ma
	if len(small) > len(big) {
		small, big = big, small
	}
	for x := range small {
		if _, ok := big[x]; ok {
			shared++
		}
	}
	if _, ok := va[member]; ok {
		return Connection{Degree: 1, Shared: shared}, true, nil
	}
	if shared > 0 {
		return Connection{Degree: 2, Shared: shared}, true, nil
	}
	for x := range va {
		nx := mc.adj[x]
		for y := range ma {
			if _, ok := nx[y]; ok {
				return Connection{Degree: 3}, true, nil
			}
		}
	}
	return Connection{}, false, nil
}

var _ Connections = (*MemoryConnections)(nil)

// Seats finds the viewer's own member profile through the CRM user's seat. Implementations
// must be safe for concurrent use.
type Seats interface {
	// MemberID returns the member ID of the seat holder crmUser of org is; ok is false when
	// the user holds no seat or the seat has no member profile.
	MemberID(ctx context.Context, org, crmUser string) (member string, ok bool, err error)
}

// SeatMap is the in-memory [Seats]: CRM users are mapped to seats by email ([crm.MapSeats]),
// and seats to the seat holders' member IDs. The zero value is empty and ready to use; it is
// safe for concurrent use.
type SeatMap struct {
	mu sync.RWMutex
	m  map[[2]string]string // (org, CRM user) -> member ID
}

// SetOrg maps the users of org to member IDs: seats maps each seat email to the seat holder's
// member ID. Users without a seat, inactive users and seats shared by several users stay
// unmapped (see crm.MapSeats). It replaces what org had.
func (s *SeatMap) SetOrg(org string, users []crm.User, seats map[string]string) {
	emails := make([]string, 0, len(seats))
	byEmail := make(map[string]string, len(seats))
	for e, m := range seats {
		emails = append(emails, e)
		byEmail[e] = m
	}
	mapped := crm.MapSeats(users, emails)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[[2]string]string)
	}
	for k := range s.m {
		if k[0] == org {
			delete(s.m, k)
		}
	}
	for user, email := range mapped {
		if m := byEmail[email]; m != "" {
			s.m[[2]string{org, user}] = m
		}
	}
}

// MemberID implements [Seats].
func (s *SeatMap) MemberID(ctx context.Context, org, crmUser string) (string, bool, error) {
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.m[[2]string{org, crmUser}]
	return m, ok, nil
}

var _ Seats = (*SeatMap)(nil)

// loadCSV reads a CSV with a header row, requiring the columns of required, and calls add for
// every row with a getter by column name. Errors name file and line.
func loadCSV(r io.Reader, file string, required []string, add func(get func(string) string)) (int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("widget: %s: empty file, a header row is required", file)
		}
		return 0, fmt.Errorf("widget: %s: %w", file, err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return 0, fmt.Errorf("widget: %s:1: no %s column", file, c)
		}
	}
	n := 0
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("widget: %s: %w", file, err)
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(row) {
				return ""
			}
			return strings.TrimSpace(row[i])
		}
		for _, c := range required {
			if get(c) == "" {
				line, _ := cr.FieldPos(0)
				return n, fmt.Errorf("widget: %s:%d: empty %s", file, line, c)
			}
		}
		add(get)
		n++
	}
}
