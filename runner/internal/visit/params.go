package visit

import "github.com/trafficinator/trafficinator/targets/kind"

// Param is one tracking parameter (targets/kind.Param: the visit model is
// a list of Matomo tracking parameters, which a target kind encodes).
type Param = kind.Param

// Params are the parameters of one hit, in the order they are sent. The
// order is part of the model: it keeps the encoded hit stream, and so a
// hash of it, stable. The Matomo kind encodes them (matomo.AppendQuery).
type Params = kind.Params
