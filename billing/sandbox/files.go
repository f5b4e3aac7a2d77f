package sandbox

import (
	"io"
	"mime/multipart"
)

var filePurposes = map[string]bool{"dispute_evidence": true, "additional_verification": true, "business_icon": true,
	"business_logo": true, "customer_signature": true, "identity_document": true, "pci_document": true,
	"tax_document_user_upload": true}

func (s *Server) renderFile(i int) map[string]any {
	f := &s.files[i]
	id := s.ids.id(kFile, uint32(i))
	typ := "pdf"
	switch f.mime {
	case "image/png":
		typ = "png"
	case "image/jpeg":
		typ = "jpg"
	}
	return map[string]any{
		"id": id, "object": "file", "created": f.created, "expires_at": f.created + 365*day, "filename": f.filename,
		"links":   map[string]any{"object": "list", "data": []any{}, "has_more": false, "url": "/v1/file_links?file=" + id},
		"purpose": f.purpose, "size": f.size, "title": nil, "type": typ, "url": nil,
	}
}

// createFile stores an upload's metadata (not its bytes: the sandbox never
// serves contents back).
func (s *Server) createFile(c *call) (any, *apiError) {
	purpose := c.p.str("purpose")
	if purpose == "" {
		return nil, requiredParam("purpose")
	}
	if !filePurposes[purpose] {
		return nil, invalidRequest("purpose", "Invalid purpose: %s", purpose)
	}
	if c.r.MultipartForm == nil || len(c.r.MultipartForm.File["file"]) == 0 {
		return nil, requiredParam("file")
	}
	fh := c.r.MultipartForm.File["file"][0]
	size, err := fileSize(fh)
	if err != nil {
		return nil, invalidRequest("file", "Could not read the uploaded file: %v", err)
	}
	if size == 0 {
		return nil, invalidRequest("file", "The uploaded file is empty.")
	}
	s.files = append(s.files, file{created: s.unix(), filename: fh.Filename, purpose: purpose, size: size,
		mime: fh.Header.Get("Content-Type")})
	return s.renderFile(len(s.files) - 1), nil
}

func fileSize(fh *multipart.FileHeader) (int64, error) {
	f, err := fh.Open()
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(io.Discard, f)
}

func (s *Server) getFile(c *call) (any, *apiError) {
	i, ok := s.ids.parse(kFile, c.id())
	if !ok || int(i) >= len(s.files) {
		return nil, missing("file", c.id())
	}
	return s.renderFile(int(i)), nil
}

func (s *Server) listFiles(c *call) (any, *apiError) {
	purpose := c.p.str("purpose")
	return c.list(listSpec{url: "/v1/files", kind: kFile, what: "file", n: len(s.files),
		created: func(i int) int64 { return s.files[i].created },
		match:   func(i int) bool { return purpose == "" || s.files[i].purpose == purpose },
		render:  s.renderFile})
}
