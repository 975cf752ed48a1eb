package crm

import "strings"

// MapSeats maps CRM users to seat holders by email: the result maps a CRM user ID to the seat
// email it matched, as given in seatEmails. Emails are compared case-insensitively after trimming
// spaces; when a seat is listed several times, the first spelling is kept. A seat email shared by
// several active users is ambiguous and left unmapped, as are users without an email and inactive
// users. Nothing is logged.
func MapSeats(users []User, seatEmails []string) map[string]string {
	seats := make(map[string]string, len(seatEmails)) // key -> seat email
	for _, s := range seatEmails {
		k := emailKey(s)
		if k == "" {
			continue
		}
		if _, dup := seats[k]; !dup {
			seats[k] = s // spellings differing only in case or spaces are one seat
		}
	}
	byKey := make(map[string][]string, len(users)) // key -> active user IDs
	for _, u := range users {
		k := emailKey(u.Email)
		if k == "" || !u.IsActive || u.ID == "" {
			continue
		}
		byKey[k] = append(byKey[k], u.ID)
	}
	out := make(map[string]string)
	for k, ids := range byKey {
		seat, ok := seats[k]
		if !ok || len(ids) != 1 {
			continue
		}
		out[ids[0]] = seat
	}
	return out
}

func emailKey(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}
