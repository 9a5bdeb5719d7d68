/// The OpenAPI 3.1 document of every endpoint, served at `/openapi.json`: the bytes of
/// Sources/ZooServe/Resources/openapi.json (also docs/openapi.json), compiled into the binary by
/// SwiftPM's `.embedInCode`, so the document served is the one kept in the repository and `zoo`
/// stays one self-contained file.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_json
}
