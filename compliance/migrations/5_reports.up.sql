-- Generated compliance reports: the evidence as of generation (JSON), downloadable as JSON or PDF.
CREATE TABLE compliance_reports (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  regulation TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  content JSONB NOT NULL
);
