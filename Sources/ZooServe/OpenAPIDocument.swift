// Generated from docs/openapi.json, which is the document to edit; `ZOO_UPDATE_GOLDENS=1 swift test --filter testOpenAPIDocumentMatchesTheRepository`
// rewrites this file from it, and the test fails while the two differ.

/// The OpenAPI 3.1 document of every endpoint, served at `/openapi.json`.
enum OpenAPIDocument {
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "zoo serve",
            "version": "0.1.0",
            "description": "A directory of ModelZoo `.nnm` models over HTTP: the Open Inference Protocol v2 (KServe, Triton) with Triton's binary tensor data extension, MLflow's scoring protocol, Prometheus metrics and a zoo page. Predictions equal `zoo predict`'s on the same rows, bit for bit."
          },
          "tags": [
            {
              "name": "Open Inference Protocol v2"
            },
            {
              "name": "MLflow scoring"
            },
            {
              "name": "zoo"
            }
          ],
          "paths": {
            "/v2/health/live": {
              "get": {
                "summary": "Server liveness",
                "operationId": "serverLive",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Live"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "tags": [
                  "Open Inference Protocol v2"
                ]
              }
            },
            "/v2/health/ready": {
              "get": {
                "summary": "Server readiness",
                "operationId": "serverReady",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Ready"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "tags": [
                  "Open Inference Protocol v2"
                ]
              }
            },
            "/v2": {
              "get": {
                "summary": "Server metadata",
                "operationId": "serverMetadata",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ServerMetadata"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "tags": [
                  "Open Inference Protocol v2"
                ]
              }
            },
            "/v2/models/{model_name}": {
              "get": {
                "summary": "Model metadata: one input per feature column (FP64 numeric, BYTES categorical)",
                "operationId": "modelMetadata",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ModelMetadata"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "model_name",
                    "in": "path",
                    "required": true,
                    "description": "the model: its file name in DIR without `.nnm`",
                    "schema": {
                      "type": "string"
                    },
                    "example": "bmi-linear"
                  }
                ],
                "tags": [
                  "Open Inference Protocol v2"
                ]
              }
            },
            "/v2/models/{model_name}/versions/{model_version}": {
              "get": {
                "summary": "Model metadata (version 1)",
                "operationId": "modelVersionMetadata",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ModelMetadata"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "model_name",
                    "in": "path",
                    "required": true,
                    "description": "the model: its file name in DIR without `.nnm`",
                    "schema": {
                      "type": "string"
                    },
                    "example": "bmi-linear"
                  },
                  {
                    "name": "model_version",
                    "in": "path",
                    "required": true,
                    "description": "always `1`: zoo serves each file as it is now",
                    "schema": {
                      "type": "string"
                    },
                    "example": "1"
                  }
                ],
                "tags": [
                  "Open Inference Protocol v2"
                ]
              }
            },
            "/v2/models/{model_name}/ready": {
              "get": {
                "summary": "Model readiness",
                "operationId": "modelReady",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ModelReady"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "model_name",
                    "in": "path",
                    "required": true,
                    "description": "the model: its file name in DIR without `.nnm`",
                    "schema": {
                      "type": "string"
                    },
                    "example": "bmi-linear"
                  }
                ],
                "tags": [
                  "Open Inference Protocol v2"
                ]
              }
            },
            "/v2/models/{model_name}/versions/{model_version}/ready": {
              "get": {
                "summary": "Model readiness (version 1)",
                "operationId": "modelVersionReady",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ModelReady"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "model_name",
                    "in": "path",
                    "required": true,
                    "description": "the model: its file name in DIR without `.nnm`",
                    "schema": {
                      "type": "string"
                    },
                    "example": "bmi-linear"
                  },
                  {
                    "name": "model_version",
                    "in": "path",
                    "required": true,
                    "description": "always `1`: zoo serves each file as it is now",
                    "schema": {
                      "type": "string"
                    },
                    "example": "1"
                  }
                ],
                "tags": [
                  "Open Inference Protocol v2"
                ]
              }
            },
            "/v2/models/{model_name}/infer": {
              "post": {
                "summary": "Predict rows (Open Inference Protocol v2; JSON or binary tensors)",
                "operationId": "modelInfer",
                "tags": [
                  "Open Inference Protocol v2"
                ],
                "parameters": [
                  {
                    "name": "model_name",
                    "in": "path",
                    "required": true,
                    "description": "the model: its file name in DIR without `.nnm`",
                    "schema": {
                      "type": "string"
                    },
                    "example": "bmi-linear"
                  },
                  {
                    "name": "Inference-Header-Content-Length",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "description": "binary tensor data extension: size of the JSON header; the binary tensors follow it"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/InferRequest"
                      }
                    },
                    "application/octet-stream": {
                      "schema": {
                        "type": "string",
                        "format": "binary"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "the predictions: JSON tensors, or (binary tensor data extension) the JSON header of `Inference-Header-Content-Length` bytes followed by the binary outputs",
                    "headers": {
                      "Inference-Header-Content-Length": {
                        "description": "size of the JSON header when binary outputs follow",
                        "schema": {
                          "type": "integer"
                        }
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/InferResponse"
                        }
                      },
                      "application/octet-stream": {
                        "schema": {
                          "type": "string",
                          "format": "binary"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "the request is malformed or a row cannot be used (the message names the row and column)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "408": {
                    "description": "the body did not arrive within --request-timeout",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "the body is over --max-body, or the rows over --max-rows",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "414": {
                    "description": "the URI is over 8 KiB",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/v2/models/{model_name}/versions/{model_version}/infer": {
              "post": {
                "summary": "Predict rows (Open Inference Protocol v2; JSON or binary tensors)",
                "operationId": "modelVersionInfer",
                "tags": [
                  "Open Inference Protocol v2"
                ],
                "parameters": [
                  {
                    "name": "model_name",
                    "in": "path",
                    "required": true,
                    "description": "the model: its file name in DIR without `.nnm`",
                    "schema": {
                      "type": "string"
                    },
                    "example": "bmi-linear"
                  },
                  {
                    "name": "model_version",
                    "in": "path",
                    "required": true,
                    "description": "always `1`: zoo serves each file as it is now",
                    "schema": {
                      "type": "string"
                    },
                    "example": "1"
                  },
                  {
                    "name": "Inference-Header-Content-Length",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "description": "binary tensor data extension: size of the JSON header; the binary tensors follow it"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/InferRequest"
                      }
                    },
                    "application/octet-stream": {
                      "schema": {
                        "type": "string",
                        "format": "binary"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "the predictions: JSON tensors, or (binary tensor data extension) the JSON header of `Inference-Header-Content-Length` bytes followed by the binary outputs",
                    "headers": {
                      "Inference-Header-Content-Length": {
                        "description": "size of the JSON header when binary outputs follow",
                        "schema": {
                          "type": "integer"
                        }
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/InferResponse"
                        }
                      },
                      "application/octet-stream": {
                        "schema": {
                          "type": "string",
                          "format": "binary"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "the request is malformed or a row cannot be used (the message names the row and column)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "408": {
                    "description": "the body did not arrive within --request-timeout",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "the body is over --max-body, or the rows over --max-rows",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "414": {
                    "description": "the URI is over 8 KiB",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/invocations": {
              "post": {
                "summary": "Predict rows (MLflow scoring protocol); the only model, or the one named by `model`",
                "operationId": "invocations",
                "tags": [
                  "MLflow scoring"
                ],
                "parameters": [
                  {
                    "name": "model",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    },
                    "description": "the model, when the directory holds several"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MLflowRequest"
                      }
                    },
                    "text/csv": {
                      "schema": {
                        "type": "string"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "the predictions",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "the request is malformed or a row cannot be used (the message names the row and column)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "408": {
                    "description": "the body did not arrive within --request-timeout",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "the body is over --max-body, or the rows over --max-rows",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "414": {
                    "description": "the URI is over 8 KiB",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "415": {
                    "description": "unsupported content type",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/invocations/{model_name}": {
              "post": {
                "summary": "Predict rows with the named model (MLflow scoring protocol)",
                "operationId": "invocationsModel",
                "tags": [
                  "MLflow scoring"
                ],
                "parameters": [
                  {
                    "name": "model_name",
                    "in": "path",
                    "required": true,
                    "description": "the model: its file name in DIR without `.nnm`",
                    "schema": {
                      "type": "string"
                    },
                    "example": "bmi-linear"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/MLflowRequest"
                      }
                    },
                    "text/csv": {
                      "schema": {
                        "type": "string"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "the predictions",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "the request is malformed or a row cannot be used (the message names the row and column)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "408": {
                    "description": "the body did not arrive within --request-timeout",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "the body is over --max-body, or the rows over --max-rows",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "414": {
                    "description": "the URI is over 8 KiB",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "415": {
                    "description": "unsupported content type",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/ping": {
              "get": {
                "summary": "200 when a model is loaded (MLflow)",
                "operationId": "ping",
                "tags": [
                  "MLflow scoring"
                ],
                "responses": {
                  "200": {
                    "description": "a model is loaded",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/health": {
              "get": {
                "summary": "200 when a model is loaded (MLflow)",
                "operationId": "health",
                "tags": [
                  "MLflow scoring"
                ],
                "responses": {
                  "200": {
                    "description": "a model is loaded",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/MLflowError"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/version": {
              "get": {
                "summary": "The server's version",
                "operationId": "version",
                "tags": [
                  "MLflow scoring"
                ],
                "responses": {
                  "200": {
                    "description": "the version",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/": {
              "get": {
                "summary": "The zoo page: every model with kind, target, metrics and size",
                "operationId": "zooPage",
                "tags": [
                  "zoo"
                ],
                "responses": {
                  "200": {
                    "description": "the page",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/models/{model_name}": {
              "get": {
                "summary": "A model's page: summary, charts and a form that predicts one row",
                "operationId": "modelPage",
                "tags": [
                  "zoo"
                ],
                "parameters": [
                  {
                    "name": "model_name",
                    "in": "path",
                    "required": true,
                    "description": "the model: its file name in DIR without `.nnm`",
                    "schema": {
                      "type": "string"
                    },
                    "example": "bmi-linear"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "the page",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "no such model",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "summary": "This document",
                "operationId": "openapi",
                "tags": [
                  "zoo"
                ],
                "responses": {
                  "200": {
                    "description": "OpenAPI 3.1",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/metrics": {
              "get": {
                "summary": "Prometheus metrics: requests and latency per endpoint, model and status; rows predicted; reloads",
                "operationId": "metrics",
                "tags": [
                  "zoo"
                ],
                "responses": {
                  "200": {
                    "description": "Prometheus text format 0.0.4",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "405": {
                    "description": "method not allowed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "components": {
            "schemas": {
              "Error": {
                "type": "object",
                "required": [
                  "error"
                ],
                "properties": {
                  "error": {
                    "type": "string"
                  }
                }
              },
              "MLflowError": {
                "type": "object",
                "required": [
                  "error_code",
                  "message"
                ],
                "properties": {
                  "error_code": {
                    "type": "string"
                  },
                  "message": {
                    "type": "string"
                  }
                }
              },
              "InferInput": {
                "type": "object",
                "required": [
                  "name",
                  "shape",
                  "datatype"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "shape": {
                    "type": "array",
                    "items": {
                      "type": "integer",
                      "minimum": 0
                    }
                  },
                  "datatype": {
                    "type": "string",
                    "enum": [
                      "BOOL",
                      "UINT8",
                      "UINT16",
                      "UINT32",
                      "UINT64",
                      "INT8",
                      "INT16",
                      "INT32",
                      "INT64",
                      "FP16",
                      "FP32",
                      "FP64",
                      "BYTES"
                    ]
                  },
                  "parameters": {
                    "type": "object",
                    "properties": {
                      "binary_data_size": {
                        "type": "integer",
                        "minimum": 0
                      }
                    }
                  },
                  "data": {
                    "type": "array",
                    "description": "row-major values, flat or nested: numbers for numeric inputs, strings for BYTES; null is a missing value",
                    "items": {}
                  }
                }
              },
              "InferRequest": {
                "type": "object",
                "required": [
                  "inputs"
                ],
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "parameters": {
                    "type": "object",
                    "properties": {
                      "binary_data_output": {
                        "type": "boolean"
                      }
                    }
                  },
                  "inputs": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/InferInput"
                    }
                  },
                  "outputs": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "name"
                      ],
                      "properties": {
                        "name": {
                          "type": "string"
                        },
                        "parameters": {
                          "type": "object",
                          "properties": {
                            "binary_data": {
                              "type": "boolean"
                            }
                          }
                        }
                      }
                    }
                  }
                }
              },
              "InferOutput": {
                "type": "object",
                "required": [
                  "name",
                  "shape",
                  "datatype"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "shape": {
                    "type": "array",
                    "items": {
                      "type": "integer"
                    }
                  },
                  "datatype": {
                    "type": "string"
                  },
                  "parameters": {
                    "type": "object",
                    "properties": {
                      "binary_data_size": {
                        "type": "integer"
                      }
                    }
                  },
                  "data": {
                    "type": "array",
                    "items": {
                      "type": [
                        "number",
                        "string"
                      ]
                    }
                  }
                }
              },
              "InferResponse": {
                "type": "object",
                "required": [
                  "model_name",
                  "outputs"
                ],
                "properties": {
                  "model_name": {
                    "type": "string"
                  },
                  "model_version": {
                    "type": "string"
                  },
                  "id": {
                    "type": "string"
                  },
                  "outputs": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/InferOutput"
                    }
                  }
                }
              },
              "TensorMetadata": {
                "type": "object",
                "required": [
                  "name",
                  "datatype",
                  "shape"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "datatype": {
                    "type": "string"
                  },
                  "shape": {
                    "type": "array",
                    "items": {
                      "type": "integer"
                    }
                  }
                }
              },
              "ModelMetadata": {
                "type": "object",
                "required": [
                  "name",
                  "platform",
                  "inputs",
                  "outputs"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "versions": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "platform": {
                    "type": "string"
                  },
                  "inputs": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/TensorMetadata"
                    }
                  },
                  "outputs": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/TensorMetadata"
                    }
                  }
                }
              },
              "MLflowRequest": {
                "type": "object",
                "description": "exactly one of dataframe_split, dataframe_records, instances, inputs; params is ignored",
                "properties": {
                  "dataframe_split": {
                    "type": "object",
                    "properties": {
                      "columns": {
                        "type": "array",
                        "items": {
                          "type": "string"
                        }
                      },
                      "index": {
                        "type": "array"
                      },
                      "data": {
                        "type": "array",
                        "items": {
                          "type": "array",
                          "items": {
                            "oneOf": [
                              {
                                "type": "number"
                              },
                              {
                                "type": "string"
                              },
                              {
                                "type": "boolean"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        }
                      }
                    }
                  },
                  "dataframe_records": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": {
                        "oneOf": [
                          {
                            "type": "number"
                          },
                          {
                            "type": "string"
                          },
                          {
                            "type": "boolean"
                          },
                          {
                            "type": "null"
                          }
                        ]
                      }
                    }
                  },
                  "instances": {
                    "type": "array",
                    "items": {
                      "oneOf": [
                        {
                          "type": "object",
                          "additionalProperties": {
                            "oneOf": [
                              {
                                "type": "number"
                              },
                              {
                                "type": "string"
                              },
                              {
                                "type": "boolean"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        },
                        {
                          "type": "array",
                          "items": {
                            "oneOf": [
                              {
                                "type": "number"
                              },
                              {
                                "type": "string"
                              },
                              {
                                "type": "boolean"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        }
                      ]
                    }
                  },
                  "inputs": {
                    "oneOf": [
                      {
                        "type": "object",
                        "additionalProperties": {
                          "type": "array",
                          "items": {
                            "oneOf": [
                              {
                                "type": "number"
                              },
                              {
                                "type": "string"
                              },
                              {
                                "type": "boolean"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        }
                      },
                      {
                        "type": "array",
                        "items": {
                          "type": "object",
                          "additionalProperties": {
                            "oneOf": [
                              {
                                "type": "number"
                              },
                              {
                                "type": "string"
                              },
                              {
                                "type": "boolean"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        }
                      }
                    ]
                  },
                  "params": {
                    "type": "object"
                  }
                }
              },
              "MLflowResponse": {
                "type": "object",
                "required": [
                  "predictions"
                ],
                "properties": {
                  "predictions": {
                    "type": "array",
                    "description": "one value per row; with several outputs one object per row keyed by output name",
                    "items": {
                      "oneOf": [
                        {
                          "type": "number"
                        },
                        {
                          "type": "string"
                        },
                        {
                          "type": "array"
                        },
                        {
                          "type": "object"
                        }
                      ]
                    }
                  }
                }
              },
              "Live": {
                "type": "object",
                "required": [
                  "live"
                ],
                "properties": {
                  "live": {
                    "type": "boolean"
                  }
                }
              },
              "Ready": {
                "type": "object",
                "required": [
                  "ready"
                ],
                "properties": {
                  "ready": {
                    "type": "boolean"
                  }
                }
              },
              "ModelReady": {
                "type": "object",
                "required": [
                  "name",
                  "ready"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "ready": {
                    "type": "boolean"
                  }
                }
              },
              "ServerMetadata": {
                "type": "object",
                "required": [
                  "name",
                  "version",
                  "extensions"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "version": {
                    "type": "string"
                  },
                  "extensions": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
        """#
}
