/// The version `icl --version` prints and every summary records.
public let toolVersion = "0.3.0"
