"""The camera stage: frames → motion gate → landmark models → a scene per camera.

Nothing here imports torch, and OpenCV only where a source or a drawing needs it;
the landmark models are MediaPipe's .tflite files run by ai-edge-litert.
"""
