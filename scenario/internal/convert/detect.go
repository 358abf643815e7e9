package convert

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// Detect returns the apiVersion of a document: the apiVersion field of a
// YAML mapping when it has one, otherwise the first detector that
// recognises it, otherwise "".
func (r *Registry) Detect(file string, data []byte) string {
	if v, ok := YAMLVersion(data); ok {
		return v
	}
	r.mu.RLock()
	ds := append([]Detector(nil), r.detectors...)
	r.mu.RUnlock()
	for _, d := range ds {
		if v, ok := d(file, data); ok {
			return v
		}
	}
	return ""
}

// YAMLVersion returns the apiVersion field of data when data is a YAML
// document whose root is a mapping with a string apiVersion.
func YAMLVersion(data []byte) (string, bool) {
	root, ok := yamlMapping(data)
	if !ok {
		return "", false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value == "apiVersion" && v.Kind == yaml.ScalarNode && v.Value != "" {
			return v.Value, true
		}
	}
	return "", false
}

// IsYAMLMapping reports whether data's first YAML document is a mapping,
// which is how every scenario version since v1 starts.
func IsYAMLMapping(data []byte) bool {
	_, ok := yamlMapping(data)
	return ok
}

func yamlMapping(data []byte) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, false
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	return root, root.Kind == yaml.MappingNode
}
